#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/package/upgrade.sh DEB: the package takes the place of Debian's
# authbind on a Debian 12 machine without losing a grant.
#
# In a fresh Debian 12 chroot (mmdebstrap, minbase) that holds Debian's
# authbind and a policy tree in the forms existing setups use:
#
#   byport/80       owned by the user, mode 0500          grants 80
#   byuid/41000     root:root 0600, '0.0.0.0/0,443'       grants 443 (root-only file)
#   byport/81       root:root 0500, ACL u:abtest:r-x      grants 81  (ACL)
#   byport/82       root:root 0505, ACL u:abtest:---      denies 82  (ACL)
#   port 84         nothing                               denies 84
#
# it checks, with a PASS or FAIL line each:
#   - Debian's authbind grants exactly that (the fixture is right);
#   - control: purging Debian's authbind deletes the tree (so the checks
#     below can see a deleted tree);
#   - apt install ./DEB: authbind is removed, the tree is unchanged (every
#     file, owner, mode, ACL and content), the helper is setuid root, and
#     user abtest (uid 41000) binds what the tree grants and nothing else;
#   - apt purge authbind afterwards: the tree is still unchanged, the
#     grants still hold;
#   - apt purge authbind-ng: the grant files stay, our files go;
#   - dpkg -i DEB, then dpkg --purge authbind: the same, the dpkg way;
#   - apt-get install --purge ./DEB (apt removes authbind, installs ours,
#     then purges authbind): the tree is unchanged;
#   - on a machine without authbind: install and purge leave the file
#     system as it was.
# The lines marked [drop-in] need the helper to read a root-only byuid file
# and to judge byport execute permission with the file's ACL.
#
# Runs as root; needs mmdebstrap, unshare, ip and the Debian mirror that
# the host's apt sources name.  Everything lives in one temporary directory,
# removed at the end; all binds happen in private network namespaces.
set -euo pipefail

[ $# = 1 ] && [ -f "$1" ] || { echo "usage: $0 authbind-ng_VERSION_ARCH.deb" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root (chroots, namespaces)" >&2; exit 2; }
deb=$(realpath "$1")
debname=$(dpkg-deb -f "$deb" Package)

user=abtest
uid=41000
work=$(mktemp -d /tmp/authbind-pkgtest.XXXXXX)
cleanup() {
	# A mount left below $work (an interrupted mmdebstrap) must not be
	# descended into: never cross a file system boundary.
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # DESCRIPTION COMMAND...: PASS when COMMAND succeeds
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}
phase() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

# Runs COMMAND as root in the chroot, with its own /proc.
in_root() {  # ROOT COMMAND...
	unshare --mount --pid --fork --kill-child sh -c '
		root=$1; shift
		mount -t proc proc "$root/proc" || exit 125
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"' sh "$@"
}

# apt-get in the chroot, quietly (no /dev/pts there: no pty for dpkg).
apt_in() {  # ROOT ARGS...
	root=$1
	shift
	in_root "$root" apt-get -q -y -o Dpkg::Use-Pty=0 "$@" 2>&1 |
		grep -v '^debconf: delaying package configuration' | sed 's/^/    /'
}

# Binds tcp 0.0.0.0:PORT as the test user under authbind, in a private
# network namespace; prints "bound" or "refused (ERROR)".
probe_script='use Socket;
socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
if (bind($s, pack_sockaddr_in($ARGV[0], INADDR_ANY))) { print "bound\n"; exit 0 }
print "refused ($!)\n"; exit 1;'
probe() {  # ROOT PORT
	unshare --mount --net --pid --fork --kill-child sh -c '
		root=$1; port=$2; script=$3
		ip link set lo up && mount -t proc proc "$root/proc" || exit 125
		exec chroot --userspec='"$uid:$uid"' "$root" /usr/bin/env -i \
			PATH=/usr/bin:/bin HOME=/ authbind perl -e "$script" "$port"' \
		sh "$1" "$2" "$probe_script" 2>&1
}

# What the tree grants, and what it does not.  The fourth field marks the
# cases that need the helper's drop-in changes (root-only byuid, ACLs).
matrix='80  yes -        byport/80 owned by the user, mode 0500
443 yes drop-in  byuid/41000 root:root 0600 (root-only), line 0.0.0.0/0,443
81  yes drop-in  byport/81 root 0500 with ACL u:abtest:r-x
82  no  drop-in  byport/82 mode 0505 with ACL u:abtest:--- (other may, the ACL denies)
84  no  -        nothing grants port 84'

check_grants() {  # ROOT WHEN
	echo "$matrix" | while read -r port want mark why; do
		out=$(probe "$1" "$port") || true
		# A probe that neither bound nor was refused (no perl, no
		# authbind, a namespace that failed) fails whatever was expected.
		got=broken
		if grep -qx bound <<<"$out"; then
			got=yes
		elif grep -q '^refused (' <<<"$out"; then
			got=no
		fi
		out=$(paste -sd'|' - <<<"$out")
		tag=
		[ "$mark" = - ] || tag=" [$mark]"
		verb="binds"
		[ "$want" = yes ] || verb="may not bind"
		if [ "$got" = "$want" ]; then
			echo "PASS: $2: uid $uid $verb tcp 0.0.0.0:$port: $why$tag"
		else
			echo "FAIL: $2: uid $uid $verb tcp 0.0.0.0:$port: $why$tag; got: $out"
		fi
	done
}
# check_grants prints the lines; count them here (a pipe's subshell cannot).
run_grants() {  # ROOT WHEN
	out=$(check_grants "$@")
	echo "$out"
	passed=$((passed + $(echo "$out" | grep -c '^PASS:' || true)))
	failed=$((failed + $(echo "$out" | grep -c '^FAIL:' || true)))
}

# One line per entry of /etc/authbind: type, mode, owner, size, content
# checksum, ACL, path.
snapshot_tree() {  # ROOT
	in_root "$1" sh -c '
		[ -d /etc/authbind ] || exit 0
		cd /etc/authbind && find . | sort | while read -r f; do
			sum=-
			[ ! -f "$f" ] || sum=$(md5sum <"$f" | cut -c1-32)
			acl=$(getfacl --omit-header --numeric --absolute-names "$f" | grep . | paste -sd, -)
			echo "$(stat -c "%F %a %u:%g %s" "$f") $sum $acl $f"
		done'
}

# The tree as it was: every entry of the snapshot unchanged, and nothing
# added but a directory of the skeleton that was missing (Debian's authbind
# has no bygid), root:root 0755 and empty.
skeleton_re='^directory 755 0:0 [0-9]+ - user::rwx,group::r-x,other::r-x \./by(port|addr|uid|gid)$'
same_tree() {  # ROOT EXPECTED-FILE
	now=$(snapshot_tree "$1")
	missing=$(comm -23 <(sort "$2") <(sort <<<"$now"))
	added=$(comm -13 <(sort "$2") <(sort <<<"$now") | grep -Ev "$skeleton_re" || true)
	[ -z "$missing$added" ] && return 0
	[ -z "$missing" ] || sed 's/^/    changed or gone: /' <<<"$missing"
	[ -z "$added" ] || sed 's/^/    new or changed: /' <<<"$added"
	return 1
}

# The grant files alone (what an administrator made), for after our purge.
same_files() {  # ROOT EXPECTED-FILE
	now=$(snapshot_tree "$1" | grep '^regular' || true)
	want=$(grep '^regular' "$2")
	[ "$now" = "$want" ] && [ -n "$want" ] && return 0
	diff -u <(echo "$want") - <<<"$now" | sed 's/^/    /' || true
	return 1
}

status_of() {  # ROOT PACKAGE: dpkg's status word, or not-installed
	in_root "$1" dpkg-query -W -f='${db:Status-Status}' "$2" 2>/dev/null || echo not-installed
}

is_status() {  # ROOT PACKAGE STATUS
	[ "$(status_of "$1" "$2")" = "$3" ]
}

# The postrm that would delete the tree on purge is gone.
postrm_disarmed() {  # ROOT
	! in_root "$1" dpkg-query --control-show authbind postrm >/dev/null 2>&1
}

helper_setuid_root() {  # ROOT
	h=$(in_root "$1" dpkg -L "$debname" | grep '/authbind-helper$')
	[ "$(stat -c '%a %u:%g' "$1$h")" = "4755 0:0" ]
}

wrapper_is_ours() {  # ROOT
	in_root "$1" authbind --version | grep -q authbind-ng
}

gone() {  # ROOT PATH...: none of the paths exists
	root=$1
	shift
	for p in "$@"; do
		[ ! -e "$root$p" ] && [ ! -L "$root$p" ] || { echo "    still there: $p"; return 1; }
	done
}

# Every file (not directory) the package installed is gone.
ours_gone() {  # ROOT LIST-FILE
	ok=0
	while read -r p; do
		[ -d "$1$p" ] && continue
		if [ -e "$1$p" ] || [ -L "$1$p" ]; then
			echo "    still there: $p"
			ok=1
		fi
	done <"$2"
	return $ok
}

# Every path of the machine outside dpkg's and apt's own state and the logs.
list_fs() {  # ROOT
	in_root "$1" find / -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt \
		-o -path /var/cache -o -path /var/log -o -path /tmp -o -path /run \
		-o -path /proc \) -prune -o -printf '%y %m %u:%g %p\n' | sort
}

same_fs() {  # ROOT EXPECTED-FILE
	now=$(list_fs "$1")
	[ "$now" = "$(cat "$2")" ] && return 0
	diff -u "$2" - <<<"$now" | sed 's/^/    /' || true
	return 1
}

# Kernel mode, where the build has it (grep reads all: no SIGPIPE for
# dpkg-deb under pipefail).
has_unit=no
if [ "$(dpkg-deb -c "$deb" | grep -c '/systemd/system/authbindd\.service$')" != 0 ]; then
	has_unit=yes
fi

unit_not_enabled() {  # ROOT
	[ -f "$1/lib/systemd/system/authbindd.service" ] &&
		! ls "$1"/etc/systemd/system/*/authbindd.service >/dev/null 2>&1
}

# --- a Debian 12 machine with Debian's authbind and a policy tree

phase "a Debian 12 chroot with Debian's authbind (mmdebstrap)"
mirrors=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && grep -q '^[^#[:space:]]' "$f" && mirrors+=("$f")
done
[ ${#mirrors[@]} -gt 0 ] || { echo "FAIL: the host has no apt sources to build a chroot from"; exit 1; }
base=$work/base
# The package lists stay, so that apt in the chroot can fetch a dependency
# like on any installed machine.  The package's own dependencies (libbpf1
# when it has kernel mode) are there from the start, as on a machine where
# 'dpkg -i' can configure it; so too they are not counted as what an
# install of ours leaves behind.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' |
	grep . | paste -sd, -)
mmdebstrap --quiet --variant=minbase --include="authbind,acl${deps:+,$deps}" \
	--skip=cleanup/apt/lists bookworm "$base" "${mirrors[@]}" </dev/null
cp "$deb" "$base/tmp/$debname.deb"

in_root "$base" useradd --uid "$uid" --user-group --no-create-home --shell /usr/sbin/nologin "$user"
in_root "$base" sh -ec '
	cd /etc/authbind
	: >byport/80; chown abtest byport/80; chmod 0500 byport/80
	echo 0.0.0.0/0,443 >byuid/41000; chmod 0600 byuid/41000
	: >byport/81; chmod 0500 byport/81; setfacl -m u:abtest:r-x byport/81
	: >byport/82; chmod 0505 byport/82; setfacl -m u:abtest:---,m::r-x byport/82'
snapshot_tree "$base" >"$work/tree.orig"
sed 's/^/    /' "$work/tree.orig"

phase "before: Debian's authbind grants what the tree says"
run_grants "$base" "Debian's authbind"

phase "control: purging Debian's authbind while it is installed deletes the tree"
fresh=$work/fresh
cp -a "$base" "$fresh"
in_root "$fresh" dpkg --purge authbind >/dev/null
check "control: 'dpkg --purge authbind' deletes /etc/authbind, so a deleted tree is seen" \
	gone "$fresh" /etc/authbind

# --- apt install ./DEB over authbind, then apt purge authbind, then ours

phase "apt install ./$debname.deb over Debian's authbind"
viadpkg=$work/dpkg
cp -a "$base" "$viadpkg"
viapurge=$work/purge
cp -a "$base" "$viapurge"
apt_in "$base" install "/tmp/$debname.deb"
check "apt: $debname is installed" is_status "$base" "$debname" installed
check "apt: Debian's authbind is removed, not purged (config-files)" \
	is_status "$base" authbind config-files
check "apt: /etc/authbind unchanged: every file, owner, mode, ACL and content (bygid added)" \
	same_tree "$base" "$work/tree.orig"
check "apt: authbind's leftover postrm (rm -rf /etc/authbind on purge) is gone" \
	postrm_disarmed "$base"
check "apt: the helper is setuid root (4755 root:root)" helper_setuid_root "$base"
check "apt: /usr/bin/authbind is authbind-ng's" wrapper_is_ours "$base"
if [ "$has_unit" = yes ]; then
	check "apt: authbindd.service is installed and not enabled" unit_not_enabled "$base"
fi
in_root "$base" dpkg -L "$debname" >"$work/ours.list"
run_grants "$base" "after the upgrade"

phase "apt purge authbind (the old package) afterwards"
apt_in "$base" purge authbind
check "purge authbind: dpkg has forgotten authbind" is_status "$base" authbind not-installed
check "purge authbind: /etc/authbind unchanged" same_tree "$base" "$work/tree.orig"
check "purge authbind: the helper is still setuid root" helper_setuid_root "$base"
run_grants "$base" "after purging authbind"

phase "apt purge $debname"
apt_in "$base" purge "$debname"
check "purge ours: dpkg has forgotten $debname" is_status "$base" "$debname" not-installed
check "purge ours: every grant file kept (owner, mode, ACL, content)" \
	same_files "$base" "$work/tree.orig"
check "purge ours: none of the package's files is left" ours_gone "$base" "$work/ours.list"

# --- the same with dpkg alone

phase "dpkg -i $debname.deb over Debian's authbind, then dpkg --purge authbind"
in_root "$viadpkg" dpkg -i "/tmp/$debname.deb" 2>&1 | sed 's/^/    /'
check "dpkg: $debname is installed" is_status "$viadpkg" "$debname" installed
check "dpkg: Debian's authbind is removed, not purged (config-files)" \
	is_status "$viadpkg" authbind config-files
check "dpkg: /etc/authbind unchanged" same_tree "$viadpkg" "$work/tree.orig"
check "dpkg: authbind's leftover postrm is gone" postrm_disarmed "$viadpkg"
check "dpkg: apt sees no broken dependency" in_root "$viadpkg" apt-get check -qq
in_root "$viadpkg" dpkg --purge authbind 2>&1 | sed 's/^/    /'
check "dpkg --purge authbind: /etc/authbind unchanged" same_tree "$viadpkg" "$work/tree.orig"
rm -rf --one-file-system "$viadpkg"

# --- apt-get install --purge: apt purges authbind in the same run

phase "apt-get install --purge ./$debname.deb over Debian's authbind"
apt_in "$viapurge" install --purge "/tmp/$debname.deb"
check "apt --purge: $debname is installed" is_status "$viapurge" "$debname" installed
check "apt --purge: dpkg has forgotten authbind (purged after our postinst ran)" \
	is_status "$viapurge" authbind not-installed
check "apt --purge: /etc/authbind unchanged" same_tree "$viapurge" "$work/tree.orig"
rm -rf --one-file-system "$viapurge"

# --- a machine that never had authbind (the control above purged it)

phase "a machine without authbind: install, then purge, $debname"
list_fs "$fresh" >"$work/fs.before"
apt_in "$fresh" install "/tmp/$debname.deb"
check "fresh: the policy skeleton is there, root:root 0755" in_root "$fresh" sh -c '
	for d in /etc/authbind /etc/authbind/byport /etc/authbind/byaddr /etc/authbind/byuid /etc/authbind/bygid; do
		[ "$(stat -c "%a %u:%g" "$d")" = "755 0:0" ] || exit 1
	done'
check "fresh: the helper is setuid root" helper_setuid_root "$fresh"
if [ "$has_unit" = yes ]; then
	check "fresh: authbindd.service is installed and not enabled" unit_not_enabled "$fresh"
else
	echo "(this build has no kernel mode: no authbindd.service in the package)"
fi
apt_in "$fresh" purge "$debname"
check "fresh: after purging $debname the file system is as before the install" \
	same_fs "$fresh" "$work/fs.before"

echo
echo "upgrade.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
