/* SPDX-License-Identifier: MIT */
/*
 * format.c - the printf family's formatting, for every sink.
 *
 * kvmrun_format() turns a format and its arguments into bytes handed to a
 * sink; vsnprintf() and snprintf() are the sink that fills an array, and
 * stdio.c has the one that fills stdout's buffer.  Nothing here touches a
 * device, so tests/sdk/ compiles this file for the host and compares it
 * with glibc.
 *
 * Conversions: d i u o x X c s p % and f F e E g G (double; L reads a long
 * double and formats it as a double), flags "-+ #0", width and precision
 * (also "*"), lengths hh h l ll z j t L.  No %n, %a or wide characters.
 *
 * Floating point is exact: the double m * 2^e is turned into the decimal
 * integer m * 2^e (e >= 0) or m * 5^-e, scaled by 10^e (e < 0), which has
 * at most 767 digits, and rounded half to even on those digits, as glibc
 * does in the default rounding mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

struct spec {
	unsigned minus:1, plus:1, space:1, alt:1, zero:1;
	int width;
	int prec;			/* -1: none given */
	char length;			/* 0, 'H' hh, 'h', 'l', 'L' ll/L, 'z', 'j', 't' */
	char conv;
};

struct out {
	kvmrun_sink sink;
	void *ctx;
	size_t len;			/* bytes produced so far */
};

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (n) {
		o->sink(o->ctx, s, n);
		o->len += n;
	}
}

static void out_fill(struct out *o, char c, int n)
{
	char chunk[32];
	int k;

	if (n <= 0)
		return;
	memset(chunk, c, sizeof(chunk));
	while (n > 0) {
		k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
		out_bytes(o, chunk, k);
		n -= k;
	}
}

/* Padding before a body of len bytes whose sign or prefix comes first:
 * spaces left of it, or zeros between prefix and body with the 0 flag. */
static void out_padded(struct out *o, const struct spec *sp, const char *prefix,
		       int plen, int zeros_ok, void (*body)(struct out *, const void *),
		       const void *arg, int len)
{
	int pad = sp->width - plen - len;

	if (sp->minus) {
		out_bytes(o, prefix, plen);
		body(o, arg);
		out_fill(o, ' ', pad);
	} else if (sp->zero && zeros_ok) {
		out_bytes(o, prefix, plen);
		out_fill(o, '0', pad);
		body(o, arg);
	} else {
		out_fill(o, ' ', pad);
		out_bytes(o, prefix, plen);
		body(o, arg);
	}
}

/* ---- integers ---------------------------------------------------------- */

struct int_body {
	const char *digits;
	int n;
	int zeros;			/* from the precision */
};

static void int_emit(struct out *o, const void *arg)
{
	const struct int_body *b = arg;

	out_fill(o, '0', b->zeros);
	out_bytes(o, b->digits, b->n);
}

static void format_int(struct out *o, const struct spec *sp, uintmax_t v,
		       int negative)
{
	char buf[24];			/* 22 octal digits for 2^64 - 1 */
	char prefix[3];
	int plen = 0, n = 0, base = 10, prec = sp->prec;
	const char *hex = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	struct int_body b;
	uintmax_t x = v;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;

	if (negative)
		prefix[plen++] = '-';
	else if ((sp->conv == 'd' || sp->conv == 'i') && sp->plus)
		prefix[plen++] = '+';
	else if ((sp->conv == 'd' || sp->conv == 'i') && sp->space)
		prefix[plen++] = ' ';
	if ((sp->alt && v && (base == 16)) || sp->conv == 'p') {
		prefix[plen++] = '0';
		prefix[plen++] = sp->conv == 'X' ? 'X' : 'x';
	}

	/* Precision 0 prints no digits for 0. */
	if (!(v == 0 && prec == 0)) {
		do {
			buf[sizeof(buf) - 1 - n++] = hex[x % base];
			x /= base;
		} while (x);
	}
	b.digits = buf + sizeof(buf) - n;
	b.n = n;
	b.zeros = prec > n ? prec - n : 0;
	/* "#o": the first digit is a 0. */
	if (base == 8 && sp->alt && b.zeros == 0 && (n == 0 || b.digits[0] != '0'))
		b.zeros = 1;
	out_padded(o, sp, prefix, plen, prec < 0, int_emit, &b, b.zeros + n);
}

/* ---- strings ----------------------------------------------------------- */

struct str_body {
	const char *s;
	int n;
};

static void str_emit(struct out *o, const void *arg)
{
	const struct str_body *b = arg;

	out_bytes(o, b->s, b->n);
}

static void format_str(struct out *o, const struct spec *sp, const char *s,
		       int n)
{
	struct str_body b = { s, n };

	out_padded(o, sp, "", 0, 0, str_emit, &b, n);
}

/* ---- floating point ---------------------------------------------------- */

#define DEC_MAX_DIGITS	800		/* 767 for the smallest subnormal */
#define BIG_LIMBS	(DEC_MAX_DIGITS / 9 + 2)
#define BIG_BASE	1000000000u

/*
 * A non-negative value as decimal digits d[0..n) (no trailing zeros) and
 * the position of the decimal point: value = 0.d[0]d[1]... * 10^point.
 * Zero is n = 0.
 */
struct decimal {
	char d[DEC_MAX_DIGITS];
	int n;
	int point;
};

struct big {
	uint32_t limb[BIG_LIMBS];	/* base 1e9, least significant first */
	int n;
};

static void big_mul(struct big *b, uint32_t f)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->limb[i] * f + carry;

		b->limb[i] = (uint32_t)(t % BIG_BASE);
		carry = t / BIG_BASE;
	}
	while (carry) {
		b->limb[b->n++] = (uint32_t)(carry % BIG_BASE);
		carry /= BIG_BASE;
	}
}

static void decimal_from_double(struct decimal *dec, double v)
{
	uint64_t bits, m;
	int e, k, i, j;
	struct big b;

	memcpy(&bits, &v, sizeof(bits));
	m = bits & ((1ULL << 52) - 1);
	e = (int)(bits >> 52 & 0x7ff);
	if (e)
		m |= 1ULL << 52;
	else
		e = 1;
	e -= 1075;			/* v = m * 2^e */
	dec->n = 0;
	dec->point = 1;
	if (!m)
		return;
	while (!(m & 1)) {
		m >>= 1;
		e++;
	}

	b.n = 0;
	while (m) {
		b.limb[b.n++] = (uint32_t)(m % BIG_BASE);
		m /= BIG_BASE;
	}
	k = 0;
	if (e >= 0) {
		for (; e >= 29; e -= 29)
			big_mul(&b, 1u << 29);
		big_mul(&b, 1u << e);
	} else {
		/* m / 2^k = m * 5^k / 10^k */
		for (k = -e; k >= 13; k -= 13)
			big_mul(&b, 1220703125u);	/* 5^13 */
		for (; k > 0; k--)
			big_mul(&b, 5);
		k = -e;
	}

	/* Digits, most significant limb first, without its leading zeros. */
	for (i = b.n - 1; i >= 0; i--) {
		char nine[9];
		uint32_t x = b.limb[i];

		for (j = 8; j >= 0; j--) {
			nine[j] = (char)('0' + x % 10);
			x /= 10;
		}
		for (j = 0; j < 9; j++)
			if (dec->n || nine[j] != '0' || i != b.n - 1 || j == 8)
				dec->d[dec->n++] = nine[j];
	}
	dec->point = dec->n - k;
	while (dec->n && dec->d[dec->n - 1] == '0')
		dec->n--;
}

/* Keep the first `keep` digits, rounding half to even on the rest. */
static void decimal_round(struct decimal *dec, int keep)
{
	int up, i;

	if (keep >= dec->n)
		return;
	if (keep < 0) {			/* below half a unit of the last place */
		dec->n = 0;
		return;
	}
	if (dec->d[keep] != '5')
		up = dec->d[keep] > '5';
	else if (keep + 1 < dec->n)	/* no trailing zeros: more is nonzero */
		up = 1;
	else
		up = keep > 0 && (dec->d[keep - 1] - '0') % 2;
	dec->n = keep;
	if (up) {
		for (i = keep - 1; i >= 0 && dec->d[i] == '9'; i--)
			;
		if (i < 0) {		/* 999 -> 1000 */
			dec->d[0] = '1';
			dec->n = 1;
			dec->point++;
			return;
		}
		dec->d[i]++;
		dec->n = i + 1;
	}
	while (dec->n && dec->d[dec->n - 1] == '0')
		dec->n--;
}

static char decimal_digit(const struct decimal *dec, int i)
{
	return i >= 0 && i < dec->n ? dec->d[i] : '0';
}

struct float_body {
	const struct decimal *dec;
	int style;			/* 'f' or 'e' */
	int frac;			/* digits after the point */
	int dot;
	int exp;			/* for 'e' */
	char e;				/* 'e' or 'E' */
};

static void out_digits(struct out *o, const struct decimal *dec, int from,
		       int count)
{
	char chunk[64];
	int k;

	while (count > 0) {
		for (k = 0; k < count && k < (int)sizeof(chunk); k++)
			chunk[k] = decimal_digit(dec, from + k);
		out_bytes(o, chunk, k);
		from += k;
		count -= k;
	}
}

static int exp_text(char *buf, char e, int x)
{
	int n = 0, len, i;
	char tmp[8];

	buf[0] = e;
	buf[1] = x < 0 ? '-' : '+';
	if (x < 0)
		x = -x;
	do {
		tmp[n++] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	if (n < 2)
		tmp[n++] = '0';
	len = 2;
	for (i = n - 1; i >= 0; i--)
		buf[len++] = tmp[i];
	return len;
}

static void float_emit(struct out *o, const void *arg)
{
	const struct float_body *b = arg;
	const struct decimal *dec = b->dec;
	char ebuf[8];

	if (b->style == 'f') {
		if (dec->point > 0)
			out_digits(o, dec, 0, dec->point);
		else
			out_bytes(o, "0", 1);
		if (b->dot)
			out_bytes(o, ".", 1);
		out_digits(o, dec, dec->point, b->frac);
	} else {
		out_digits(o, dec, 0, 1);
		if (b->dot)
			out_bytes(o, ".", 1);
		out_digits(o, dec, 1, b->frac);
		out_bytes(o, ebuf, exp_text(ebuf, b->e, b->exp));
	}
}

static void format_double(struct out *o, const struct spec *sp, double v)
{
	struct decimal dec;
	struct float_body b;
	char prefix[1];
	int plen = 0, upper = sp->conv >= 'A' && sp->conv <= 'Z';
	int conv = upper ? sp->conv - 'A' + 'a' : sp->conv;
	int prec = sp->prec < 0 ? 6 : sp->prec;
	int len;
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	if (bits >> 63)
		prefix[plen++] = '-';
	else if (sp->plus)
		prefix[plen++] = '+';
	else if (sp->space)
		prefix[plen++] = ' ';

	if ((bits >> 52 & 0x7ff) == 0x7ff) {
		struct str_body s;

		s.s = (bits << 12) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		s.n = 3;
		out_padded(o, sp, prefix, plen, 0, str_emit, &s, 3);
		return;
	}

	decimal_from_double(&dec, v);
	b.dec = &dec;
	b.e = upper ? 'E' : 'e';
	b.exp = 0;
	if (conv == 'f') {
		decimal_round(&dec, dec.point + prec);
		b.style = 'f';
		b.frac = prec;
	} else if (conv == 'e') {
		decimal_round(&dec, prec + 1);
		b.style = 'e';
		b.frac = prec;
		b.exp = dec.n ? dec.point - 1 : 0;
	} else {			/* 'g': the style by the exponent */
		int p = sp->prec < 0 ? 6 : sp->prec ? sp->prec : 1;
		int x;

		decimal_round(&dec, p);
		x = dec.n ? dec.point - 1 : 0;
		if (p > x && x >= -4) {
			b.style = 'f';
			b.frac = p - 1 - x;
			if (!sp->alt) {	/* no trailing zeros */
				int have = dec.n - dec.point;

				if (b.frac > have)
					b.frac = have > 0 ? have : 0;
			}
		} else {
			b.style = 'e';
			b.frac = p - 1;
			b.exp = x;
			if (!sp->alt && b.frac > dec.n - 1)
				b.frac = dec.n > 1 ? dec.n - 1 : 0;
		}
	}
	b.dot = b.frac > 0 || sp->alt;
	if (b.style == 'f')
		len = (dec.point > 0 ? dec.point : 1) + b.dot + b.frac;
	else {
		char ebuf[8];

		len = 1 + b.dot + b.frac + exp_text(ebuf, 'e', b.exp);
	}
	out_padded(o, sp, prefix, plen, 1, float_emit, &b, len);
}

/* ---- the format string ------------------------------------------------- */

static intmax_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return va_arg(*ap, long);		/* ssize_t */
	case 'j': return va_arg(*ap, intmax_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default:  return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default:  return va_arg(*ap, unsigned);
	}
}

/* Parse one conversion after its '%'; returns the character after it. */
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; p++) {
		if (*p == '-')
			sp->minus = 1;
		else if (*p == '+')
			sp->plus = 1;
		else if (*p == ' ')
			sp->space = 1;
		else if (*p == '#')
			sp->alt = 1;
		else if (*p == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* a negative width is the - flag */
			sp->minus = 1;
			sp->width = sp->width == INT32_MIN ? INT32_MAX : -sp->width;
		}
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			sp->width = sp->width * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		sp->prec = 0;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)	/* as if none was given */
				sp->prec = -1;
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sp->prec = sp->prec * 10 + (*p++ - '0');
		}
	}
	switch (*p) {
	case 'h':
		sp->length = p[1] == 'h' ? (p++, 'H') : 'h';
		p++;
		break;
	case 'l':
		sp->length = p[1] == 'l' ? (p++, 'L') : 'l';
		p++;
		break;
	case 'L': case 'z': case 'j': case 't':
		sp->length = *p++;
		break;
	}
	sp->conv = *p;
	return *p ? p + 1 : p;
}

int kvmrun_format(kvmrun_sink sink, void *ctx, const char *fmt, va_list ap0)
{
	struct out o = { sink, ctx, 0 };
	const char *p = fmt, *start;
	struct spec sp;
	va_list ap;

	va_copy(ap, ap0);
	while (*p) {
		if (*p != '%') {
			start = p;
			while (*p && *p != '%')
				p++;
			out_bytes(&o, start, p - start);
			continue;
		}
		start = p;
		p = parse_spec(p + 1, &sp, &ap);
		switch (sp.conv) {
		case 'd': case 'i': {
			intmax_t v = arg_signed(&sp, &ap);

			format_int(&o, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		case 'u': case 'o': case 'x': case 'X':
			format_int(&o, &sp, arg_unsigned(&sp, &ap), 0);
			break;
		case 'p': {
			void *ptr = va_arg(ap, void *);

			if (ptr) {
				format_int(&o, &sp, (uintptr_t)ptr, 0);
			} else {
				sp.prec = -1;
				format_str(&o, &sp, "(nil)", 5);
			}
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			format_str(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
			format_str(&o, &sp, s, sp.prec < 0 ? (int)strlen(s) :
				   (int)strnlen(s, sp.prec));
			break;
		}
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
			double v = sp.length == 'L' ? (double)va_arg(ap, long double) :
				   va_arg(ap, double);

			format_double(&o, &sp, v);
			break;
		}
		case '%':
			out_bytes(&o, "%", 1);
			break;
		default:		/* unknown: print it as it stands */
			out_bytes(&o, start, p - start);
			break;
		}
	}
	va_end(ap);
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

/* ---- into an array ----------------------------------------------------- */

struct array_sink {
	char *buf;
	size_t size;			/* room, the final NUL included */
	size_t len;
};

static void array_put(void *ctx, const char *s, size_t n)
{
	struct array_sink *a = ctx;

	if (a->len + 1 < a->size) {
		size_t room = a->size - 1 - a->len;

		memcpy(a->buf + a->len, s, n < room ? n : room);
	}
	a->len += n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct array_sink a = { buf, size, 0 };
	int r = kvmrun_format(array_put, &a, fmt, ap);

	if (size)
		buf[a.len < size ? a.len : size - 1] = '\0';
	return r;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}
