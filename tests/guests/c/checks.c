/*
 * checks.c - a guest that reports several checks in kvm-unit-tests'
 * convention ("PASS: name", "FAIL: name", "SKIP: name"), for the suite
 * tests (tests/sections/suite.sh): kvmrun --tap makes each a test point.
 *
 * Run:    ./kvmrun --tap tests/guests/c/checks.elf
 * Expect: the run itself ok (status 0), then "ok - ...: adds", "not ok -
 *         ...: compares", "ok - ...: vectors # SKIP"; kvmrun's status 1.
 */
#include <stdio.h>

int main(void)
{
	volatile int two = 2;

	printf("checks: three of them\n");
	printf("%s: adds\n", two + two == 4 ? "PASS" : "FAIL");
	printf("%s: compares\n", two > 3 ? "PASS" : "FAIL");    /* fails on purpose */
	printf("SKIP: vectors\n");
	return 0;
}
