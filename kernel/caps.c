/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dropping every capability but the three authbindd needs.
 *
 * Why in this order: the bounding set can only be cut while CAP_SETPCAP is
 * still held, so it goes first; then capset leaves exactly the three in
 * the permitted and effective sets (nothing inheritable, no ambient); then
 * no_new_privs, since authbindd never executes anything.  A check at the
 * end proves the result instead of trusting each step.
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static const int kept[] = { CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN };
static const char *const kept_names[] = { "CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN" };

static int is_kept(int cap)
{
	size_t i;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (kept[i] == cap)
			return 1;
	return 0;
}

int ab_caps_drop(char *err, size_t errsize)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int cap, last = CAP_LAST_CAP, i;
	FILE *f;

	/* The running kernel may know more capabilities than our headers. */
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f != NULL) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	if (syscall(SYS_capget, &head, data) != 0) {
		snprintf(err, errsize, "cannot read the capabilities: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 3; i++) {
		if (!(data[kept[i] / 32].effective & (1u << (kept[i] % 32)))) {
			snprintf(err, errsize, "%s is missing: authbindd needs CAP_BPF, "
				 "CAP_PERFMON and CAP_NET_ADMIN (run it as root)", kept_names[i]);
			return -1;
		}
	}
	for (cap = 0; cap <= last; cap++) {
		if (is_kept(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
			snprintf(err, errsize, "cannot drop capability %d from the bounding set: %s",
				 cap, strerror(errno));
			return -1;
		}
	}
	memset(data, 0, sizeof(data));
	for (i = 0; i < 3; i++) {
		data[kept[i] / 32].effective |= 1u << (kept[i] % 32);
		data[kept[i] / 32].permitted |= 1u << (kept[i] % 32);
	}
	if (syscall(SYS_capset, &head, data) != 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsize, "cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	if (syscall(SYS_capget, &head, data) != 0 || data[0].inheritable != 0 ||
	    data[1].inheritable != 0) {
		snprintf(err, errsize, "capabilities remain inheritable after the drop");
		return -1;
	}
	for (cap = 0; cap < 64; cap++) {
		int held = (data[cap / 32].permitted >> (cap % 32)) & 1;

		if (held != is_kept(cap)) {
			snprintf(err, errsize, "capability %d is %s after the drop", cap,
				 held ? "still held" : "missing");
			return -1;
		}
	}
	return 0;
}
