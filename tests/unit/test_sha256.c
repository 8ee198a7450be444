/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for sha256.c: the FIPS 180-4 example vectors, the padding
 * edge cases around one block, and any split of the input into updates
 * giving the one-shot digest.
 */
#include <string.h>

#include "observe/sha256.h"
#include "test.h"

static void digest_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 s;
	uint8_t d[32];

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

/* ---- known answers --------------------------------------------------- */

TEST(sha256_nist_vectors)
{
	/* The examples of FIPS 180-4 (csrc.nist.gov "Example Values"). */
	static const struct { const char *msg, *hex; } cases[] = {
		{ "",
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc",
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		/* 448 bits: the padding needs a second block. */
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		/* 896 bits */
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char hex[65];

		digest_hex(cases[i].msg, strlen(cases[i].msg), hex);
		TEST_CHECK_MSG(strcmp(hex, cases[i].hex) == 0, "case %u: %s", i,
			       hex);
	}
}

TEST(sha256_million_a)
{
	static const char expect[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char block[1000], hex[65];
	struct sha256 s;
	uint8_t d[32];
	unsigned i;

	memset(block, 'a', sizeof(block));
	sha256_init(&s);
	for (i = 0; i < 1000; i++)
		sha256_update(&s, block, sizeof(block));
	TEST_EQ(s.bytes, 1000000);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	TEST_STREQ(hex, expect);
}

TEST(sha256_padding_edges)
{
	/*
	 * 55 bytes leave exactly room for the 0x80 and the length in one
	 * block; 56..63 push the length into a second block; 64 and 65 fill
	 * a block before padding starts.  Expected:
	 * head -c N /dev/zero | tr '\0' a | sha256sum
	 */
	static const struct { size_t len; const char *hex; } cases[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	};
	char msg[65], hex[65];
	unsigned i;

	memset(msg, 'a', sizeof(msg));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		digest_hex(msg, cases[i].len, hex);
		TEST_CHECK_MSG(strcmp(hex, cases[i].hex) == 0, "%zu bytes: %s",
			       cases[i].len, hex);
	}
}

/* ---- streaming ------------------------------------------------------- */

TEST(sha256_every_chunk_size)
{
	/*
	 * 1000 bytes of a byte pattern (every value occurs, so a bug that
	 * loses or repeats a byte changes the digest), fed in chunks of 1 to
	 * 130 bytes: every chunk size crosses block boundaries at a
	 * different place.  Expected: the same bytes through sha256sum.
	 */
	static const char expect[] =
		"1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371";
	uint8_t data[1000], d[32];
	char hex[65];
	size_t chunk, off;
	struct sha256 s;

	for (off = 0; off < sizeof(data); off++)
		data[off] = (uint8_t)(off * 7 + 3);
	digest_hex(data, sizeof(data), hex);
	TEST_STREQ(hex, expect);

	for (chunk = 1; chunk <= 130; chunk++) {
		sha256_init(&s);
		for (off = 0; off < sizeof(data); off += chunk) {
			size_t n = sizeof(data) - off < chunk ?
				   sizeof(data) - off : chunk;

			sha256_update(&s, data + off, n);
			TEST_CHECK_MSG(s.used < 64, "chunk %zu", chunk);
		}
		sha256_final(&s, d);
		sha256_hex(d, hex);
		TEST_CHECK_MSG(strcmp(hex, expect) == 0, "chunk %zu: %s", chunk,
			       hex);
	}
}

TEST(sha256_empty_updates)
{
	/* Zero-length updates, even with a NULL pointer, change nothing. */
	struct sha256 s;
	uint8_t d[32];
	char hex[65];

	sha256_init(&s);
	sha256_update(&s, NULL, 0);
	sha256_update(&s, "ab", 2);
	sha256_update(&s, NULL, 0);
	sha256_update(&s, "c", 1);
	sha256_update(&s, "", 0);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	TEST_STREQ(hex,
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256_final_resets)
{
	/* After final the context hashes a new message from scratch. */
	struct sha256 s;
	uint8_t d[32];
	char hex[65];

	sha256_init(&s);
	sha256_update(&s, "something else", 14);
	sha256_final(&s, d);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	TEST_STREQ(hex,
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256_hex_format)
{
	uint8_t d[32];
	char hex[66];
	unsigned i;

	for (i = 0; i < 32; i++)
		d[i] = (uint8_t)(i * 0x11 + 0x0f);
	memset(hex, 'X', sizeof(hex));
	sha256_hex(d, hex);
	TEST_STREQ(hex,
		   "0f20314253647586"
		   "97a8b9cadbecfd0e"
		   "1f30415263748596"
		   "a7b8c9daebfc0d1e");
	TEST_EQ(hex[65], 'X');          /* nothing written past the NUL */
}

const struct test tests_sha256[] = {
	TEST_ENTRY(sha256_nist_vectors),
	TEST_ENTRY(sha256_million_a),
	TEST_ENTRY(sha256_padding_edges),
	TEST_ENTRY(sha256_every_chunk_size),
	TEST_ENTRY(sha256_empty_updates),
	TEST_ENTRY(sha256_final_resets),
	TEST_ENTRY(sha256_hex_format),
	TEST_END,
};
