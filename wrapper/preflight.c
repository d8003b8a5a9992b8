/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Before exec: the cases where a preloaded library cannot work, each
 * named with its way out, so that nobody has to find them by failing.
 */
#include "config.h"
#include "paths.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "commands.h"
#include "identity.h"
#include "env.h"

#define ELF_SCAN_MAX (64 * 1024 * 1024)

/* "authbind: warning: PROBLEM; WAY OUT" on one line. */
__attribute__((format(printf, 2, 3)))
static void warn(const char *way_out, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "authbind: warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; %s\n", way_out);
}

/* Finds command as execvp would; returns 0 with its path in out. */
static int find_command(const char *command, char *out, size_t size)
{
	const char *path = getenv("PATH"), *p;

	if (strchr(command, '/') != NULL) {
		snprintf(out, size, "%s", command);
		return access(out, X_OK);
	}
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t len = end == NULL ? strlen(p) : (size_t)(end - p);
		struct stat st;

		snprintf(out, size, "%.*s%s%s", (int)len, p, len ? "/" : "", command);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		if (end == NULL)
			return -1;
		p = end;
	}
}

struct elf_facts {
	int is_elf, has_interp, is_go;
};

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* 64-bit ELF only: the program headers (PT_INTERP) and the section names
 * (.go.buildinfo, which every Go binary carries). */
static void inspect_elf(int fd, struct elf_facts *f)
{
	Elf64_Ehdr eh;
	Elf64_Shdr names;
	int i;

	memset(f, 0, sizeof(*f));
	if (read_at(fd, &eh, sizeof(eh), 0) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return;
	f->is_elf = 1;
	if (eh.e_ident[EI_CLASS] != ELFCLASS64) {
		f->has_interp = 1; /* do not guess about 32-bit files */
		return;
	}
	for (i = 0; i < eh.e_phnum && i < 256; i++) {
		Elf64_Phdr ph;

		if (read_at(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize)) != 0)
			break;
		if (ph.p_type == PT_INTERP)
			f->has_interp = 1;
	}
	if (eh.e_shstrndx == SHN_UNDEF || eh.e_shnum > 4096 ||
	    read_at(fd, &names, sizeof(names),
		    (off_t)(eh.e_shoff + (Elf64_Off)eh.e_shstrndx * eh.e_shentsize)) != 0 ||
	    names.sh_size > ELF_SCAN_MAX)
		return;
	for (i = 0; i < eh.e_shnum; i++) {
		static const char go_section[] = ".go.buildinfo";
		Elf64_Shdr sh;
		char name[sizeof(go_section)]; /* with its NUL */

		if (read_at(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff + (Elf64_Off)i * eh.e_shentsize)) != 0)
			break;
		/* The name may be the last string of the table: read only as
		 * many bytes as the name compared with. */
		if (sh.sh_name + sizeof(name) > names.sh_size ||
		    read_at(fd, name, sizeof(name), (off_t)(names.sh_offset + sh.sh_name)) != 0)
			continue;
		if (memcmp(name, go_section, sizeof(name)) == 0)
			f->is_go = 1;
	}
}

/* What a script's "#!" line starts, and how many programs down the one
 * that binds is: the kernel runs the interpreter named there; an env
 * there is one program more. */
enum script {
	NOT_SCRIPT,      /* no "#!" */
	INTERPRETER,     /* #!/usr/bin/python3: depth 1 reaches it */
	SHELL,           /* #!/bin/sh: the server is a child of the shell */
	ENV_INTERPRETER, /* #!/usr/bin/env node: depth 2 reaches node */
	ENV_SHELL,       /* #!/usr/bin/env bash */
	ENV_UNCLEAR,     /* #!/usr/bin/env with options we do not follow */
};

static int is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "mksh",
					      "ash", "busybox", NULL };
	int i;

	for (i = 0; shells[i] != NULL; i++)
		if (strcmp(name, shells[i]) == 0)
			return 1;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Reads the "#!" line; *interp gets the program that will matter. */
static enum script inspect_script(int fd, char *interp, size_t size)
{
	char line[256], *p, *arg, *end;
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);

	if (n < 3 || line[0] != '#' || line[1] != '!')
		return NOT_SCRIPT;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	p = line + 2 + strspn(line + 2, " \t");
	end = p + strcspn(p, " \t");
	arg = *end != '\0' ? end + 1 + strspn(end + 1, " \t") : end;
	*end = '\0';
	snprintf(interp, size, "%s", base_name(p));
	if (strcmp(interp, "env") != 0)
		return is_shell(interp) ? SHELL : INTERPRETER;
	/* The kernel hands env the rest of the line as one argument; only
	 * -S splits it.  Any other option changes what runs, or clears the
	 * environment (-i): we cannot tell, so we say so. */
	if (strncmp(arg, "-S", 2) == 0)
		arg += 2 + strspn(arg + 2, " \t");
	else if (arg[0] == '-' || strpbrk(arg, " \t") != NULL)
		return ENV_UNCLEAR;
	arg[strcspn(arg, " \t")] = '\0';
	if (*arg == '\0' || strchr(arg, '=') != NULL || arg[0] == '-')
		return ENV_UNCLEAR;
	snprintf(interp, size, "%s", base_name(arg));
	return is_shell(interp) ? ENV_SHELL : ENV_INTERPRETER;
}

/* Programs that start the server through further programs of their own,
 * so that no small depth is sure to reach it. */
static int is_launcher(const char *name)
{
	static const char *const launchers[] = { "npm", "npx", "yarn", "pnpm", "corepack",
						 NULL };
	int i;

	for (i = 0; launchers[i] != NULL; i++)
		if (strcmp(name, launchers[i]) == 0)
			return 1;
	return 0;
}

static void check_helper(void)
{
	struct statvfs vfs;
	struct stat st;

	if (stat(AB_HELPER_PATH, &st) != 0) {
		warn("no privileged bind can work until it is installed (make install)",
		     "the helper %s is missing", AB_HELPER_PATH);
		return;
	}
	if (st.st_uid != 0 || !(st.st_mode & S_ISUID))
		warn("as root, run: chown root:root " AB_HELPER_PATH " && chmod 4755 "
		     AB_HELPER_PATH, "the helper %s is not setuid root", AB_HELPER_PATH);
	else if (statvfs(AB_HELPER_PATH, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		warn("the kernel ignores its setuid bit there; install it on another filesystem",
		     "the helper %s is on a nosuid mount", AB_HELPER_PATH);
}

/* The warnings about the program itself. */
static void warn_about(const char *path, const char *command, const struct stat *st, int fd,
		       const struct elf_facts *elf, int depth, int depth_given)
{
	char interp[64];

	if (st->st_mode & (S_ISUID | S_ISGID))
		warn("authbind cannot help it",
		     "%s is setuid or setgid: the dynamic loader ignores LD_PRELOAD for it", path);
	else if (fgetxattr(fd, "security.capability", NULL, 0) >= 0)
		warn("authbind cannot help it (and with CAP_NET_BIND_SERVICE it needs no help)",
		     "%s has file capabilities: the dynamic loader ignores LD_PRELOAD for it", path);
	if (elf->is_go) {
		warn("authbind cannot help it; give it CAP_NET_BIND_SERVICE (setcap, or "
		     "systemd AmbientCapabilities=) or use socket activation",
		     "%s is a Go program: Go makes its system calls itself, not through the "
		     "C library", path);
		return;
	}
	if (elf->is_elf && !elf->has_interp) {
		warn("authbind cannot help it; link it dynamically, or give it "
		     "CAP_NET_BIND_SERVICE",
		     "%s is statically linked: there is no dynamic loader to preload into", path);
		return;
	}
	if (depth == AB_DEPTH_DEEP)
		return;
	if (is_launcher(base_name(command))) {
		warn("use --deep so that the server it starts gets it",
		     "%s starts the server through programs of its own (node, a shell): "
		     "with a depth of %d the grant stops before the server", command, depth);
		return;
	}
	if (elf->is_elf)
		return;
	switch (inspect_script(fd, interp, sizeof(interp))) {
	case SHELL:
		if (depth == 1)
			warn("use --depth 2 or --deep so that the server it starts gets it",
			     "%s is a shell script: with the default depth only the shell itself "
			     "gets the grant, and a shell binds nothing", path);
		break;
	case ENV_SHELL:
		if (depth <= 2)
			warn("use --depth 3 or --deep so that the server it starts gets it",
			     "%s is a shell script run through env: with a depth of %d only env "
			     "and the shell get the grant, and they bind nothing", path, depth);
		break;
	case ENV_INTERPRETER:
		if (depth_given && depth == 1)
			warn("use --depth 2 (the default for such a script)", "%s starts %s "
			     "through env: with --depth 1 only env gets the grant", path, interp);
		break;
	case ENV_UNCLEAR:
		if (depth <= 2)
			warn("use --depth 2 (or more, or --deep) if the program it starts binds",
			     "%s starts its interpreter through env with options authbind does not "
			     "follow: with a depth of %d the grant may stop before the server",
			     path, depth);
		break;
	default:
		break;
	}
}

/* Kernel mode grants this process's programs what the policy grants,
 * with or without the library: then no warning about the library applies.
 * Says so when it runs but cannot, for this process's groups. */
static int kernel_mode_covers(int quiet)
{
	static struct ab_identity self;
	struct ab_enforcers e;

	if (ab_identity_get(&self, NULL) != 0 || !ab_enforcers_get(&e, &self.caller))
		return 0;
	if (!e.groups_differ)
		return 1;
	if (!quiet && e.too_many_groups)
		warn("the helper decides, for what authbind runs",
		     "kernel mode (authbindd) grants this process nothing: it is in more "
		     "groups than kernel mode reads");
	else if (!quiet)
		warn("the helper decides, for what authbind runs",
		     "kernel mode (authbindd) grants this process nothing: its groups differ "
		     "from those /etc/passwd and /etc/group give uid %u (gid %u)",
		     (unsigned)self.caller.uid, (unsigned)e.differing_gid);
	return 0;
}

int ab_preflight(const char *command, int depth, int depth_given, int quiet)
{
	char path[PATH_MAX], interp[64];
	struct elf_facts elf;
	struct stat st;
	int fd;

	if (kernel_mode_covers(quiet))
		quiet = 1;

	if (!quiet && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		warn("remove NoNewPrivileges= from the service (systemd) or run without "
		     "setpriv --no-new-privs",
		     "NoNewPrivileges is set for this process, so the setuid helper cannot "
		     "become root");
	if (!quiet)
		check_helper();
	if (find_command(command, path, sizeof(path)) != 0)
		return depth; /* exec will say so */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return depth;
	}
	inspect_elf(fd, &elf);
	switch (elf.is_elf ? NOT_SCRIPT : inspect_script(fd, interp, sizeof(interp))) {
	case ENV_INTERPRETER:
		/* "#!/usr/bin/env node": env is the first program, the
		 * interpreter the second; the user meant the interpreter. */
		if (!depth_given && !is_launcher(base_name(command)))
			depth = 2;
		break;
	default:
		break;
	}
	if (!quiet)
		warn_about(path, command, &st, fd, &elf, depth, depth_given);
	close(fd);
	return depth;
}
