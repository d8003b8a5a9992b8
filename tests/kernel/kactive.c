/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kactive: prints what ab_kernel_mode_active (kernel/active.h, for the
 * wrapper) says for the calling process: "active PID CGROUP" or
 * "inactive".  Exit 0 when active, 1 when not.
 *
 *   kactive STATE-DIR
 */
#include "config.h"

#include <stdio.h>

#include "active.h"

int main(int argc, char **argv)
{
	struct ab_kernel_state st;

	if (argc != 2)
		return 2;
	if (!ab_kernel_mode_active(argv[1], &st)) {
		printf("inactive\n");
		return 1;
	}
	printf("active %d %s\n", (int)st.pid, st.cgroup);
	return 0;
}
