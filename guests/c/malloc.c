/*
 * malloc.c - the SDK's heap: malloc, calloc, realloc, free.
 *
 * Shows: that the heap is the boot information block's usable RAM above
 * the image, a linked list built node by node, an array grown with
 * realloc, many blocks freed in a scattered order, and kvmrun_heap_stats()
 * showing that the free space merges back together.
 *
 * Run:    ./kvmrun guests/c/malloc.elf
 * Expect: the heap before, the list sum 500500, the grown array's sum
 *         "499999500000", the heap after (free bytes as before, 1 block per
 *         usable region) and "malloc: ok"; status 0.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmrun/sdk/kvmrun.h>

struct node {
	struct node *next;
	long value;
};

static void show(const char *when)
{
	struct kvmrun_heap_stats st;

	kvmrun_heap_stats(&st);
	printf("heap %-6s %zu bytes free in %zu block(s), largest %zu, list %s\n",
	       when, st.free_bytes, st.free_blocks, st.largest_free,
	       st.ok ? "consistent" : "BROKEN");
}

int main(void)
{
	struct kvmrun_heap_stats before, after;
	struct node *head = NULL, *n;
	long *arr = NULL, list_sum = 0, i;
	long long arr_sum = 0;
	size_t cap = 0;
	void *blocks[1000];
	char *s;

	show("before");
	kvmrun_heap_stats(&before);

	for (i = 1; i <= 1000; i++) {		/* a list */
		n = malloc(sizeof(*n));
		assert(n);
		n->value = i;
		n->next = head;
		head = n;
	}
	for (n = head; n; n = n->next)
		list_sum += n->value;
	printf("list   1000 nodes, sum %ld\n", list_sum);

	for (i = 0; i < 1000000; i++) {		/* an array that doubles */
		if ((size_t)i == cap) {
			cap = cap ? cap * 2 : 16;
			arr = realloc(arr, cap * sizeof(*arr));
			assert(arr);
		}
		arr[i] = i;
	}
	for (i = 0; i < 1000000; i++)
		arr_sum += arr[i];
	printf("array  1000000 longs grown by realloc to %zu, sum %lld\n", cap, arr_sum);

	for (i = 0; i < 1000; i++) {		/* blocks of many sizes */
		blocks[i] = calloc(1, (size_t)(i * 37 % 500) + 1);
		assert(blocks[i]);
	}
	s = malloc(32);
	strcpy(s, "strings live on the heap too");
	printf("string \"%s\" at %p\n", s, (void *)s);
	show("during");

	for (i = 0; i < 1000; i++)		/* freed in a scattered order */
		free(blocks[i * 7 % 1000]);
	while (head) {
		n = head->next;
		free(head);
		head = n;
	}
	free(arr);
	free(s);
	show("after");
	kvmrun_heap_stats(&after);

	if (!after.ok || after.free_bytes != before.free_bytes ||
	    after.free_blocks != before.free_blocks) {
		printf("malloc: the heap did not merge back\n");
		return 1;
	}
	printf("malloc: ok\n");
	return 0;
}
