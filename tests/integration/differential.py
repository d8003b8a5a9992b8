#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every way of reading the policy, held to the helper's answer.

Run by tests/integration/differential.sh inside the test's namespaces, as
root.  For each of many generated trees (tests/integration/gentree), and
for each of three users, it asks about many binds, the generated ones and
the corners of every region `authbind --list` prints:

  - the helper: the bind itself, made by bindbatch under authbind as the
    user, with the user's real groups;
  - authbind --explain --user (as root, who reads what the helper reads);
  - authbind --list --user: whether the bind lies in a listed region;
  - kernel mode, when asked (--kernel): the same bind made by bindbatch
    without authbind, in the cgroup authbindd watches.

and requires the same decision from each, every time.
"""

import argparse
import ipaddress
import os
import random
import shutil
import signal
import subprocess
import sys
import time

WRAPPER = os.environ["AB_WRAPPER"]
BIN = os.environ["AB_BIN"]
POLICY = os.environ["AB_POLICY"]
PATH = "/usr/local/bin:/usr/bin:/bin"

# The users of the test's /etc/passwd and /etc/group (differential.sh):
# name, uid, gid, supplementary groups as a login gives them.
USERS = [
    ("alice", 41000, 41000, [41000, 41500]),
    ("bob", 41001, 41501, [41501]),
    ("41002", 41002, 41002, []),
]


NAMES = {}


def save_names():
    for var in ("AB_PASSWD_FILE", "AB_GROUP_FILE"):
        with open(os.environ[var]) as f:
            NAMES[var] = f.read()


def restore_names():
    for var, text in NAMES.items():
        with open(os.environ[var], "w") as f:
            f.write(text)


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def as_user(user, argv, stdin, cgroup=None):
    name, uid, gid, groups = user
    cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % gid]
    cmd += ["--groups=" + ",".join(map(str, groups))] if groups else ["--clear-groups"]
    cmd += ["--", "env", "-i", "PATH=" + PATH] + argv
    if cgroup:
        # Sockets are judged by the cgroup they are made in: start the
        # prober inside the cgroup authbindd watches.
        cmd = ["sh", "-c", 'echo $$ >"$0/cgroup.procs" && exec "$@"', cgroup] + cmd
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True)


def endpoint(addr, port):
    return ("[%s]:%d" if ":" in addr else "%s:%d") % (addr, port)


def explain(user, proto, addr, port):
    """--explain --user: the answer for each half ([::] first, then
    0.0.0.0, for the dual-stack wildcard)."""
    r = subprocess.run([WRAPPER, "--explain", "--user", user[0], proto,
                        endpoint(addr, port)], capture_output=True, text=True)
    halves = [line.strip() == "=> granted" for line in r.stdout.splitlines()
              if line.strip().startswith("=>")]
    if r.returncode not in (0, 1) or not halves:
        fail("--explain --user %s %s %s: exit %d: %s%s" % (
            user[0], proto, endpoint(addr, port), r.returncode, r.stdout, r.stderr))
    if (r.returncode == 0) != all(halves):
        fail("--explain's result and its halves disagree: " + r.stdout)
    return halves


def parse_list(text):
    """The regions `authbind --list` prints: (protos, family or None for
    '*', lo, hi, port_lo, port_hi)."""
    regions = []
    for line in text.splitlines()[1:]:
        words = line.split()
        if not words or words[0].startswith("("):
            continue
        if len(words) > 2 and words[2] == "(refuses:":
            continue
        rule = words[0]
        protos = {"tcp", "udp"}
        if rule in ("tcp", "udp"):
            protos, rule = {rule}, words[1]
        where, ports = rule.rsplit(",", 1)
        lo_port, _, hi_port = ports.partition("-")
        lo_port = int(lo_port)
        hi_port = int(hi_port) if hi_port else lo_port
        if where == "*":
            regions.append((protos, None, None, None, lo_port, hi_port))
            continue
        if "/" in where:
            net = ipaddress.ip_network(where)
            lo, hi = net[0], net[-1]
        elif "-" in where:
            lo, hi = (ipaddress.ip_address(a) for a in where.split("-"))
        else:
            lo = hi = ipaddress.ip_address(where)
        regions.append((protos, lo.version, lo, hi, lo_port, hi_port))
    return regions


def listed(regions, proto, addr, port):
    a = ipaddress.ip_address(addr.split("%")[0])
    for protos, family, lo, hi, plo, phi in regions:
        if proto in protos and plo <= port <= phi and (
                family is None or (family == a.version and lo <= a <= hi)):
            return True
    return False


def corners(regions):
    """Binds at the edges of every listed region."""
    out = []
    for protos, family, lo, hi, plo, phi in regions:
        addrs = ["0.0.0.0", "::"] if family is None else [str(lo), str(hi)]
        for proto in sorted(protos):
            for addr in addrs:
                for port in {plo, phi}:
                    out.append((proto, addr, port))
    return out


def batch(user, binds, kernel_cgroup=None):
    """Makes each bind (proto, addr, port, v6only) and returns the answers."""
    lines = "".join("%s %s %d %s\n" % b for b in binds)
    prober = os.path.join(BIN, "bindbatch")
    argv = [prober] if kernel_cgroup else [WRAPPER, "--quiet", prober]
    r = as_user(user, argv, lines, kernel_cgroup)
    answers = r.stdout.split()
    if r.returncode != 0 or len(answers) != len(binds):
        fail("bindbatch as %s (%s): exit %d: %s %s" % (
            user[0], "kernel mode" if kernel_cgroup else "the helper",
            r.returncode, r.stdout[-500:], r.stderr[-500:]))
    for b, answer in zip(binds, answers):
        if answer not in ("ok", "EACCES"):
            fail("bind %s as %s: %s (neither granted nor refused)" % (b, user[0], answer))
    return [answer == "ok" for answer in answers]


def reloads(log):
    """authbindd's reloads so far, each True when it put a policy in force
    and False when it could not (it then grants nothing, and says why)."""
    with open(log) as f:
        return [("policy generation" in line and "in force" in line)
                for line in f if ("policy generation" in line and "in force" in line) or
                "kernel mode grants nothing until" in line]


def generations(log):
    return len(reloads(log))


def wait_for_reload(log, before):
    """Waits until authbindd has taken in the new tree: a reload after
    `before`, and then none for longer than its debounce.  Returns whether
    a policy is in force (False: kernel mode refuses everything, as when
    the tree needs more kernel entries than authbindd allows)."""
    deadline = time.monotonic() + 10
    while generations(log) <= before:
        if time.monotonic() > deadline:
            fail("authbindd took in no new policy in 10 s")
        time.sleep(0.05)
    while True:
        seen = generations(log)
        time.sleep(0.6)
        if generations(log) == seen:
            return reloads(log)[-1]
        if time.monotonic() > deadline:
            fail("authbindd keeps reloading")


def check_tree(number, seed, binds_per_tree, kernel_cgroup, daemon_log):
    before = generations(daemon_log) if daemon_log else 0
    replace_tree(None)
    r = subprocess.run([os.path.join(BIN, "gentree"), str(seed), POLICY,
                        str(binds_per_tree)], capture_output=True, text=True)
    if r.returncode != 0:
        fail("gentree %d: %s" % (seed, r.stderr))
    in_force = wait_for_reload(daemon_log, before) if daemon_log else True
    if not in_force:
        print("tree %d (seed %d): authbindd cannot put it in force (it says why): "
              "kernel mode must then refuse every bind" % (number, seed), flush=True)
    generated = []
    for line in r.stdout.splitlines():
        proto, addr, port = line.split()
        generated.append((proto, addr, int(port)))
    asked = granted = 0
    for user in USERS:
        r = subprocess.run([WRAPPER, "--list", "--user", user[0]], capture_output=True,
                           text=True)
        if r.returncode != 0:
            fail("--list --user %s: %s" % (user[0], r.stderr))
        regions = parse_list(r.stdout)
        questions = generated + corners(regions)
        binds, expect = [], []
        for proto, addr, port in questions:
            # A link-local address needs a scope, and lo's is the only one
            # the test's namespace has.
            a = ipaddress.ip_address(addr.split("%")[0])
            if a.is_link_local:
                addr = addr.split("%")[0] + "%1"
            if a.is_multicast or a == ipaddress.ip_address("255.255.255.255"):
                # No socket binds these: --explain and --list alone.
                halves = explain(user, proto, addr, port)
                if halves[0] != listed(regions, proto, addr, port):
                    fail("tree %d (seed %d), %s: %s %s port %d: --explain %s, --list %s" % (
                        number, seed, user[0], proto, addr, port, yes(halves[0]),
                        yes(not halves[0])))
                continue
            if port >= 10000:  # unprivileged in the test (differential.sh)
                continue
            halves = explain(user, proto, addr, port)
            if addr == "::":
                # v6-only: the IPv6 half; dual-stack: both halves.
                binds.append((proto, addr, port, "1"))
                expect.append((halves[0], listed(regions, proto, "::", port)))
                binds.append((proto, addr, port, "0"))
                expect.append((all(halves), listed(regions, proto, "::", port) and
                               listed(regions, proto, "0.0.0.0", port)))
            else:
                binds.append((proto, addr, port, "-"))
                expect.append((halves[0], listed(regions, proto, addr, port)))
        helper = batch(user, binds)
        kernel = batch(user, binds, kernel_cgroup) if kernel_cgroup else helper
        for b, (by_explain, by_list), by_helper, by_kernel in zip(binds, expect, helper, kernel):
            if not by_explain == by_list == by_helper or \
                    by_kernel != (by_helper if in_force else False):
                fail("tree %d (seed %d), %s: %s %s port %d v6only %s: the helper %s, "
                     "--explain %s, --list %s%s\n%s" % (
                         number, seed, user[0], b[0], b[1], b[2], b[3],
                         yes(by_helper), yes(by_explain), yes(by_list),
                         (", kernel mode " + yes(by_kernel)) if kernel_cgroup else "",
                         tree_listing()))
            asked += 1
            granted += by_helper
    return asked, granted


def replace_tree(source):
    """Empties the policy tree, then copies SOURCE (a directory) into it,
    or leaves it empty when SOURCE is None."""
    for entry in os.listdir(POLICY):
        path = os.path.join(POLICY, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    if source is not None:
        subprocess.run(["cp", "-a", source + "/.", POLICY], check=True)


def check_cases(cases, kernel_cgroup, daemon_log, daemon_pid):
    """The policy cases of the unit suite (check_policy, exported): the
    helper must answer as the unit test expects, and kernel mode the same
    where the caller's groups are its login groups (else never more)."""
    uids = range(41000, 41010)
    with open(os.environ["AB_PASSWD_FILE"], "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
        f.writelines("u%d:x:%d:41000::/:/bin/sh\n" % (u, u) for u in uids)
    with open(os.environ["AB_GROUP_FILE"], "w") as f:
        f.write("root:x:0:\ng41000:x:41000:\n")
    asked = 0
    for number in sorted(os.listdir(cases), key=int):
        before = generations(daemon_log) if daemon_log else 0
        replace_tree(os.path.join(cases, number, "tree"))
        if daemon_log:
            # The names changed too (a mounted file, which inotify on /etc
            # does not see): tell authbindd.
            os.kill(daemon_pid, signal.SIGHUP)
            wait_for_reload(daemon_log, before)
        callers = {}
        with open(os.path.join(cases, number, "queries")) as f:
            for line in f:
                uid, gid, group, addr, port, granted = line.split()
                if uid == "0":
                    continue  # root binds by itself: no enforcer is asked
                if "%" in addr:
                    addr = addr.split("%")[0] + "%1"
                key = (int(uid), int(gid), int(group))
                callers.setdefault(key, []).append(("tcp", addr, int(port),
                                                    "1" if addr == "::" else "-",
                                                    granted == "1"))
        for (uid, gid, group), queries in callers.items():
            user = (str(uid), uid, gid, [gid] + ([group] if group else []))
            binds = [q[:4] for q in queries]
            helper = batch(user, binds)
            kernel = batch(user, binds, kernel_cgroup) if kernel_cgroup else helper
            login = gid == 41000 and group in (0, 41000)
            for q, by_helper, by_kernel in zip(queries, helper, kernel):
                asked += 1
                if by_helper != q[4] or (login and by_kernel != by_helper) or \
                        (by_kernel and not by_helper):
                    fail("unit policy case %s, uid %d gid %d group %d, %s %s port %d: "
                         "the unit test expects %s, the helper %s%s\n%s" % (
                             number, uid, gid, group, q[0], q[1], q[2], yes(q[4]),
                             yes(by_helper), (", kernel mode " + yes(by_kernel))
                             if kernel_cgroup else "", tree_listing()))
    print("ok: the unit suite's policy cases: %d queries, the helper%s as expected" % (
        asked, " and kernel mode" if kernel_cgroup else ""), flush=True)
    replace_tree(None)


def yes(granted):
    return "grants" if granted else "refuses"


def tree_listing():
    r = subprocess.run(["ls", "-lRn", POLICY], capture_output=True, text=True)
    return r.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trees", type=int, default=40)
    parser.add_argument("--binds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kernel", metavar="CGROUP", default=None)
    parser.add_argument("--daemon-log", default=None)
    parser.add_argument("--daemon-pid", type=int, default=None)
    parser.add_argument("--cases", metavar="DIR", default=None)
    args = parser.parse_args()
    save_names()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    if args.cases:
        check_cases(args.cases, args.kernel, args.daemon_log, args.daemon_pid)
        restore_names()
        if args.daemon_log:
            before = generations(args.daemon_log)
            os.kill(args.daemon_pid, signal.SIGHUP)
            wait_for_reload(args.daemon_log, before)
    print("seed %d (--seed %d repeats this run)" % (seed, seed), flush=True)
    asked = granted = 0
    for number in range(args.trees):
        a, g = check_tree(number, seed + number, args.binds, args.kernel, args.daemon_log)
        asked += a
        granted += g
    print("ok: %d trees, %d binds asked of %d users: %d granted, %d refused, every "
          "reading agreed (%s)" % (args.trees, asked, len(USERS), granted, asked - granted,
                                   "the helper, kernel mode, --explain, --list" if args.kernel
                                   else "the helper, --explain, --list"))
    if granted < asked // 20 or granted > asked - asked // 20:
        fail("only %d of %d granted: the generator proves little" % (granted, asked))


main()
