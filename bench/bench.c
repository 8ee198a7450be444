/* SPDX-License-Identifier: MIT */
/*
 * `make bench`: times whole processes (fork, exec, wait) and prints a
 * Markdown table of medians, each kvmrun figure beside a baseline measured
 * in the same invocation, runs of the two interleaved so that drift in a
 * noisy machine hits both alike.
 *
 * usage: bench [-q]     (-q: fewer repetitions, for a quick look)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define B "build/bench/"
#define MAX_REPS 256

static int quick;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run argv with stdout to /dev/null; return wall seconds, exit if it fails. */
static double run_once(char *const argv[], int want_status)
{
	double t0 = now_s();
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			exit(1);
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != want_status) {
		fprintf(stderr, "bench: %s ended with status %d, expected %d\n",
			argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			want_status);
		exit(1);
	}
	return now_s() - t0;
}

/* The exit status of argv (stdout to /dev/null). */
static int run_status(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		fprintf(stderr, "bench: cannot run %s\n", argv[0]);
		exit(1);
	}
	return WEXITSTATUS(status);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Time several commands, interleaved, reps times; medians in out[]. */
struct cmd {
	char *argv[12];
	int status;
};

static void time_cmds(const struct cmd *cmds, int n, int reps, double *out)
{
	double t[12][MAX_REPS];
	int i, r;

	if (quick && reps > 3)
		reps = 3;
	for (i = 0; i < n; i++)                 /* warm caches, not counted */
		run_once(cmds[i].argv, cmds[i].status);
	for (r = 0; r < reps; r++)
		for (i = 0; i < n; i++)
			t[i][r] = run_once(cmds[i].argv, cmds[i].status);
	for (i = 0; i < n; i++)
		out[i] = median(t[i], reps);
}

#define CMD(status, ...) { { __VA_ARGS__, NULL }, status }

static void row(const char *what, const char *kvmrun, const char *baseline,
		const char *ratio, const char *target)
{
	printf("| %s | %s | %s | %s | %s |\n", what, kvmrun, baseline, ratio, target);
}

static char *fmt(const char *f, ...)
{
	static char bufs[16][64];
	static int next;
	char *b = bufs[next++ % 16];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, 64, f, ap);
	va_end(ap);
	return b;
}

/*
 * Exit round trips in one ring: (time with EXITS exits - time of the hlt
 * guest) / EXITS, for kvmrun and for the raw program in the same ring.
 */
static void exit_round_trips(int ring)
{
	const double exits = 20000;
	char *kring = ring ? "auto" : "0", *rflag = ring ? "-3" : "-0";
	struct cmd c[] = {
		CMD(0, "./kvmrun", "--ring", kring, B "pio.bin"),
		CMD(0, "./kvmrun", "--ring", kring, B "hlt.bin"),
		CMD(0, B "raw", rflag, B "pio.bin"),
		CMD(0, B "raw", rflag, B "hlt.bin"),
		CMD(0, "./kvmrun", "--ring", kring, B "mmio.bin"),
		CMD(0, B "raw", rflag, B "mmio.bin"),
	};
	const char *what[] = { "port-I/O", "MMIO" };
	const char *mode = ring ? "default (CPL3) vs raw CPL3" : "CPL0 (--ring 0) vs raw CPL0";
	double m[6];

	time_cmds(c, 6, 15, m);
	for (int i = 0; i < 2; i++) {
		double k = (m[i ? 4 : 0] - m[1]) / exits * 1e9;
		double r = (m[i ? 5 : 2] - m[3]) / exits * 1e9;

		row(fmt("%s exit round trip, %s", what[i], mode), fmt("%.0f ns", k),
		    fmt("%.0f ns", r), fmt("%.3fx", k / r), "<= 1.05x");
	}
}

int main(int argc, char **argv)
{
	double m[12];

	quick = argc > 1 && strcmp(argv[1], "-q") == 0;
	/* kvmrun's CPUID cache (README) for these runs: warm after the first,
	 * as for anyone who runs kvmrun twice in a boot. */
	{
		/* kvmrun trusts only an absolute cache directory: a relative
		 * one would silently turn the cache off for every row. */
		char cwd[4096], dir[4200];

		if (!getcwd(cwd, sizeof(cwd))) {
			perror("bench: getcwd");
			return 1;
		}
		snprintf(dir, sizeof(dir), "%s/build/bench/cache", cwd);
		setenv("KVMRUN_CACHE_DIR", dir, 1);
	}
	printf("| benchmark | kvmrun | baseline | ratio | target |\n");
	printf("|---|---|---|---|---|\n");

	/* Startup: a hlt guest, whole process. */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", B "hlt.bin"),
			CMD(0, B "raw", B "hlt.bin"),
			CMD(0, "/bin/true"),
			CMD(0, "./kvmrun", "--ring", "0", B "hlt.bin"),
			CMD(0, B "raw", "-c", B "hlt.bin"),
			CMD(0, "./kvmrun", "--no-cpuid-cache", B "hlt.bin"),
			CMD(0, B "raw", "-3", B "hlt.bin"),
		};
		time_cmds(c, 7, 201, m);
		row("startup, hlt guest (default: ring auto, CPUID cache) vs raw KVM "
		    "floor (CPL0)", fmt("%.3f ms", m[0] * 1e3), fmt("%.3f ms", m[1] * 1e3),
		    fmt("%.3fx", m[0] / m[1]), "<= 1.15x");
		row("startup, hlt guest, --no-cpuid-cache (KVM asked every run) vs raw "
		    "KVM floor (CPL0)", fmt("%.3f ms", m[5] * 1e3),
		    fmt("%.3f ms", m[1] * 1e3), fmt("%.3fx", m[5] / m[1]), "");
		row("startup, hlt guest, --ring 0 vs raw KVM floor (CPL0)",
		    fmt("%.3f ms", m[3] * 1e3), fmt("%.3f ms", m[1] * 1e3),
		    fmt("%.3fx", m[3] / m[1]), "");
		row("startup, hlt guest (default) vs raw floor + KVM_SET_CPUID2 from "
		    "KVM_GET_SUPPORTED_CPUID", fmt("%.3f ms", m[0] * 1e3),
		    fmt("%.3f ms", m[4] * 1e3), fmt("%.3fx", m[0] / m[4]), "");
		row("startup: raw floor started in ring 3 (-3) vs raw floor (CPL0)", "",
		    fmt("%.3f ms", m[6] * 1e3), fmt("%.3fx", m[6] / m[1]), "");
		row("startup: /bin/true", "", fmt("%.3f ms", m[2] * 1e3), "", "");
	}

	/* Exit round trips: (time with 20000 exits - hlt time) / 20000. */
	exit_round_trips(0);
	exit_round_trips(3);

	/* Console throughput: bytes / (time - hlt time). */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", B "conbyte_1m.bin"),
			CMD(0, "./kvmrun", B "hlt.bin"),
			CMD(0, B "raw", "-3", B "conbyte_256k.bin"),
			CMD(0, B "raw", "-3", B "hlt.bin"),
			CMD(0, B "raw", B "conbyte_256k.bin"),
			CMD(0, B "raw", B "hlt.bin"),
			CMD(0, "./kvmrun", B "conbulk.bin"),
			CMD(0, "./kvmrun", "--ring", "0", B "conbyte_256k.bin"),
			CMD(0, "./kvmrun", "--ring", "0", B "hlt.bin"),
		};
		double k, r3, r0, bulk, k0;

		time_cmds(c, 9, 3, m);
		k = (1 << 20) / (m[0] - m[1]) / 1e6;
		r3 = (256 << 10) / (m[2] - m[3]) / 1e6;
		r0 = (256 << 10) / (m[4] - m[5]) / 1e6;
		bulk = (16 << 20) / (m[6] - m[1]) / 1e6;
		k0 = (256 << 10) / (m[7] - m[8]) / 1e6;
		row("console, 1 MiB byte by byte (default: CPL3, coalesced) vs raw "
		    "CPL3 one exit per byte (256 KiB)",
		    fmt("%.2f MB/s", k), fmt("%.3f MB/s", r3), fmt("%.1fx", k / r3), ">= 5x");
		row("console, byte by byte vs raw CPL0 one exit per byte (256 KiB)",
		    fmt("%.2f MB/s", k), fmt("%.3f MB/s", r0), fmt("%.1fx", k / r0), ">= 2x");
		row("console, 256 KiB byte by byte, --ring 0 (loop emulated, coalesced) "
		    "vs raw CPL0 one exit per byte", fmt("%.2f MB/s", k0),
		    fmt("%.3f MB/s", r0), fmt("%.1fx", k0 / r0), "");
		row("console, 16 MiB through the bulk-write call (4 KiB per call)",
		    fmt("%.0f MB/s", bulk), "", "", ">= 100 MB/s");
	}

	/*
	 * Tiering (docs/internals.md): the default mode against the pinned
	 * rings and against the default before tiering (--no-tiering).  On a
	 * host that is not kvm_pvm tiering is off and these ratios are ~1.
	 */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "guests/hello.bin"),
			CMD(0, "./kvmrun", "--ring", "0", "guests/hello.bin"),
			CMD(0, "./kvmrun", B "pio.bin"),
			CMD(0, "./kvmrun", "--ring", "0", B "pio.bin"),
			CMD(0, "./kvmrun", "--no-tiering", B "conbyte_256k.bin"),
			CMD(0, "./kvmrun", "--no-tiering", B "hlt.bin"),
		};

		time_cmds(c, 6, 21, m);
		row("tiering: hello guest (byte-wise UART, hlt), default vs --ring 0, "
		    "whole process", fmt("%.3f ms", m[0] * 1e3), fmt("%.3f ms", m[1] * 1e3),
		    fmt("%.3fx", m[0] / m[1]), "<= 1.1x");
		row("tiering: 20,000 port-I/O exits, default vs --ring 0, whole process",
		    fmt("%.3f ms", m[2] * 1e3), fmt("%.3f ms", m[3] * 1e3),
		    fmt("%.3fx", m[2] / m[3]), "<= 1.2x");
		/* Throughput of the default before tiering, for the next row. */
		m[11] = (256 << 10) / (m[4] - m[5]) / 1e6;
	}
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", B "conbyte_1m.bin"),
			CMD(0, "./kvmrun", B "hlt.bin"),
		};
		double k;

		time_cmds(c, 2, 3, m);
		k = (1 << 20) / (m[0] - m[1]) / 1e6;
		row("tiering: console, 1 MiB byte by byte, default vs --no-tiering "
		    "(256 KiB)", fmt("%.2f MB/s", k), fmt("%.3f MB/s", m[11]),
		    fmt("%.1fx", k / m[11]), ">= 10x");
	}
	/*
	 * 10 phases of about 50 ms of compute (32 Mi generator steps) and
	 * 10,000 bytes of byte-wise output.  Pinned at ring 0 the compute is
	 * emulated, thousands of times slower: that run is estimated from
	 * runs with 1/1024 of the steps, adding 1023 times their compute.
	 */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "--set", "rax=10", "--set", "rbx=0x2000000",
			    "--set", "rcx=10000", B "phases.bin"),
			CMD(0, "./kvmrun", "--ring", "3", "--set", "rax=10", "--set",
			    "rbx=0x2000000", "--set", "rcx=10000", B "phases.bin"),
			CMD(0, "./kvmrun", "--ring", "0", "--set", "rax=10", "--set",
			    "rbx=0x8000", "--set", "rcx=10000", B "phases.bin"),
			CMD(0, "./kvmrun", "--ring", "0", "--set", "rax=10", "--set",
			    "rbx=0x8000", "--set", "rcx=0", B "phases.bin"),
			CMD(0, "./kvmrun", "--ring", "0", "--set", "rax=10", "--set",
			    "rbx=0", "--set", "rcx=0", B "phases.bin"),
		};
		double ring0;

		time_cmds(c, 5, 3, m);
		ring0 = m[2] + 1023 * (m[3] - m[4]);
		row("tiering: 10 phases of ~50 ms compute and 10,000 bytes byte-wise, "
		    "default vs --ring 3", fmt("%.3f s", m[0]), fmt("%.3f s", m[1]),
		    fmt("%.2fx", m[1] / m[0]), ">= 3x faster");
		row("tiering: the same, default vs --ring 0 (estimated from 1/1024 of "
		    "the compute)", fmt("%.3f s", m[0]), fmt("%.1f s", ring0),
		    fmt("%.1fx", ring0 / m[0]), ">= 3x faster");
	}

	/*
	 * --repeat: runs in one VM, reset to a snapshot, against a fresh
	 * process per run (the hlt startup above).  Time per run, and what a
	 * reset costs as the pages a run dirtied grow.
	 */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "--repeat", "10000", B "hlt.bin"),
			CMD(0, "./kvmrun", B "hlt.bin"),
			CMD(0, "./kvmrun", "--repeat", "1000", "--set", "rax=0", "tests/guests/dirty.bin"),
			CMD(0, "./kvmrun", "--repeat", "1000", "--set", "rax=1", "tests/guests/dirty.bin"),
			CMD(0, "./kvmrun", "--repeat", "1000", "--set", "rax=16", "tests/guests/dirty.bin"),
			CMD(0, "./kvmrun", "--repeat", "1000", "--set", "rax=256", "tests/guests/dirty.bin"),
			CMD(0, "./kvmrun", "--repeat", "1000", "--set", "rax=4096", "tests/guests/dirty.bin"),
		};
		static const char *const pages[] = { "1", "16", "256", "4096" };

		time_cmds(c, 7, 5, m);
		row("repeat: hlt guest, 10,000 runs in one VM vs a fresh process per run",
		    fmt("%.0f runs/s", 10000 / m[0]), fmt("%.0f runs/s", 1 / m[1]),
		    fmt("%.1fx", m[1] * 10000 / m[0]), ">= 5000 runs/s");
		for (int i = 0; i < 4; i++)
			row(fmt("repeat: a run that dirtied %s pages, per run (1,000 runs) vs "
				"one that dirtied none", pages[i]),
			    fmt("%.1f us", m[3 + i] / 1000 * 1e6), fmt("%.1f us", m[2] / 1000 * 1e6),
			    fmt("+%.1f us", (m[3 + i] - m[2]) / 1000 * 1e6),
			    i == 1 ? "reset <= 50 us" : "");
	}

	/* Compute: the same machine code natively and as a guest. */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "--mem", "64M", B "compute.bin"),
			CMD(0, B "native"),
		};
		/* Both end with the checksum's low byte as status: the same. */
		c[0].status = c[1].status = run_status(c[1].argv);
		time_cmds(c, 2, 5, m);
		row("compute: integer loop, 16 MiB sieve, SSE2 pass (default mode) "
		    "vs the same code natively",
		    fmt("%.3f s", m[0]), fmt("%.3f s", m[1]), fmt("%.3fx", m[0] / m[1]),
		    "<= 1.05x");
	}

	/* Compute in C: a guest built with the SDK's defaults, and natively. */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "--mem", "64M", B "compute_c.elf"),
			CMD(0, B "native_c"),
		};
		c[0].status = c[1].status = run_status(c[1].argv);
		time_cmds(c, 2, 5, m);
		row("compute in C: a guest built with the C SDK's defaults (default mode) "
		    "vs the same C natively", fmt("%.3f s", m[0]), fmt("%.3f s", m[1]),
		    fmt("%.3fx", m[0] / m[1]), "<= 1.05x");
	}

	/* Memory. */
	{
		struct cmd c[] = {
			CMD(0, "./kvmrun", "--mem", "64G", B "hlt.bin"),
			CMD(0, "./kvmrun", "--mem", "16M", B "hlt.bin"),
			CMD(0, "./kvmrun", "--mem", "512M", B "touch.bin"),
			CMD(0, "./kvmrun", "--mem", "512M", B "hlt.bin"),
		};
		time_cmds(c, 4, 21, m);
		row("startup with --mem 64G vs --mem 16M", fmt("%.3f ms", m[0] * 1e3),
		    fmt("%.3f ms", m[1] * 1e3), fmt("%.3fx", m[0] / m[1]), "<= 1.2x");
		row("guest first touch of 256 MiB (1 byte per 4 KiB page, CPL3)",
		    fmt("%.1f ms", (m[2] - m[3]) * 1e3), "", "", "");
	}

	/* QEMU, where it is installed. */
	if (access("/usr/bin/qemu-system-x86_64", X_OK) != 0)
		row("the same guests under QEMU with KVM (microvm)", "not measured: "
		    "qemu-system-x86_64 is not installed", "", "", "");
	else
		row("the same guests under QEMU with KVM (microvm)", "not measured: "
		    "kvmrun's flat images need a loader QEMU does not have", "", "", "");

	printf("\nNotes:\n\n"
	       "- The raw floor (bench/raw.c) creates the VM, one slot, one vCPU and "
	       "its registers, and nothing else, and runs the guest in ring 0. kvmrun "
	       "must also give the vCPU the CPUID KVM supports (KVM_SET_CPUID2; on a "
	       "nested host every CPUID the kernel executes for KVM_GET_SUPPORTED_CPUID "
	       "traps to the outer hypervisor): the `raw -c` row is the floor plus "
	       "exactly that, and kvmrun's default run takes the supported CPUID from "
	       "its per-boot cache (README, The CPUID cache; build/bench/cache here, "
	       "warm after the first run); `--no-cpuid-cache` is the cold cost. "
	       "kvmrun's default starts the guest in ring 3: the `raw -3` row is what "
	       "that alone costs the floor.\n"
	       "- Startup rows: 201 interleaved runs of each command; the other rows "
	       "fewer.\n"
	       "- Exit round trips are (time with 20000 exits - time of the hlt "
	       "guest) / 20000, in the same ring for both, medians of 15 runs; from "
	       "one `make bench` to the next they move by a few percent on this "
	       "host.\n"
	       "- Console: the raw program exits once per byte; kvmrun lets the first "
	       "256 byte writes exit, then coalesces (README, Devices). A coalesced "
	       "write still leaves the guest, and on kvm_pvm KVM decodes the trapped "
	       "`out` before it queues it: 1 / throughput is what that in-kernel path "
	       "costs per byte (about 3 us on an AMD host, 8-9 us on an Intel one). "
	       "The row with --ring 0 shows the same path in ring 0, where the loop "
	       "itself is emulated too.\n"
	       "- Compute: the native run uses memory backed like the guest's "
	       "(anonymous, transparent huge pages); kvmrun's figure includes its "
	       "start-up.\n");
	return 0;
}
