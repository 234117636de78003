#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_docker_real.sh: Debian's dockerd (docker.io), unmodified, with
# the iptables names pointing at nfgate's drop-in, in the VM's initial
# network namespace (dockerd's own):
#
#   CLI 192.0.2.2 -- 192.0.2.1 (VM root netns) 198.51.100.1 -- 198.51.100.2 SRV
#                      docker0 198.18.0.1/24 -- container 198.18.0.x
#
# dockerd keeps all its state on the guest's tmpfs (--data-root,
# --exec-root, the socket and /etc/docker are copies under /tmp; the
# /etc/alternatives copy points iptables* at build/iptables-nfgate*), the
# bind mounts live in this test's own mount namespace, no registry: the
# image is imported from a tarball of the host's static busybox.
# --userland-proxy=false: a published port is reached through dockerd's
# DNAT rule only, never through docker-proxy.
#  1. dockerd starts and writes its chains through nfgate (nat DOCKER,
#     filter DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2);
#  2. docker run -p 8080:80 (busybox httpd): the client reaches it at
#     192.0.2.1:8080 from its namespace; the DNAT rule counts it;
#  3. a container's egress to SRV is masqueraded: SRV sees 198.51.100.1;
#  3b. a second network (docker network create): its isolation rules keep
#     a default-bridge container from its container, which the host
#     reaches; docker network rm removes its rules;
#  4. nfgate's save, loaded by iptables-legacy-restore in a scratch
#     namespace, saves back the same (what dockerd wrote is plain
#     iptables);
#  5. docker rm -f removes the container's rules (DNAT, the DOCKER accept)
#     and the port is no longer reached; docker network's base chains stay.

# The bind mounts below must not outlive the test: a mount namespace of its
# own (the VM's root is the host's, read-only; nothing is written there).
if [ "${NFGATE_VM:-}" = 1 ] && [ -z "${NFGATE_DOCKER_MNTNS:-}" ] &&
	command -v unshare >/dev/null; then
	NFGATE_DOCKER_MNTNS=1 exec unshare -m --propagation private "$0" "$@"
fi

source "$(dirname -- "$0")/lib.sh"
source "$(dirname -- "$0")/clients_lib.sh"
require_env
require_dropin
[ -n "${NFGATE_DOCKER_MNTNS:-}" ] || skip "unshare missing (util-linux)"
command -v dockerd >/dev/null || skip "dockerd missing (apt-get install docker.io)"
command -v docker >/dev/null || skip "docker missing (apt-get install docker.io)"
command -v containerd >/dev/null || skip "containerd missing (apt-get install docker.io)"
command -v python3 >/dev/null || skip "python3 missing (the echo helper)"
command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy missing"
modprobe -a bridge br_netfilter veth overlay nf_nat nf_conntrack ||
	skip "cannot load bridge, br_netfilter, veth, overlay, nf_nat"
modprobe -a ip_tables iptable_nat iptable_filter xt_nat xt_MASQUERADE \
	xt_conntrack xt_addrtype xt_tcpudp ||
	skip "cannot load iptable_nat and xt_* (the legacy round trip)"
ECHO=$SELFTESTS/nfg_echo.py
D=$tmpdir/docker
SOCK=$D/docker.sock
dockerd_pid=

docker_cleanup() {
	local i

	if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
		# shellcheck disable=SC2046 # one word per container id
		docker -H "unix://$SOCK" rm -f $(docker -H "unix://$SOCK" ps -aq) \
			>/dev/null 2>&1
		kill -TERM "$dockerd_pid"
		for ((i = 0; i < 300; i++)); do
			kill -0 "$dockerd_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$dockerd_pid" 2>/dev/null
		wait "$dockerd_pid" 2>/dev/null
	fi
	# What dockerd leaves in the VM's initial namespace.
	ip link del docker0 2>/dev/null
	ip link del nfgd-cli 2>/dev/null
	ip link del nfgd-srv 2>/dev/null
	printf '*nat\n:PREROUTING ACCEPT\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n:POSTROUTING ACCEPT\nCOMMIT\n*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\nCOMMIT\n' |
		"$NFGATE" restore >/dev/null 2>&1
	sysctl -qw net.ipv4.ip_forward=0
	cleanup
}
trap docker_cleanup EXIT

# fetch: the client's HTTP GET of 192.0.2.1:8080, the body only (busybox
# nc: the static busybox's wget crashes in its resolver).
fetch() {
	printf 'GET / HTTP/1.0\r\n\r\n' |
		ip netns exec "$CLI" busybox nc -w 3 $RTR_CLI_IP 8080 2>&1 |
		tr -d '\r' | sed '1,/^$/d'
}

dk() {
	docker -H "unix://$SOCK" "$@"
}

# Writable state: tmpfs copies bind-mounted in this mount namespace.
mkdir -p "$D"/{data,exec,etc-docker,rootfs} || die "state dirs"
alternatives_copy nfgate "$D/alternatives" || die "alternatives copy"
mount --bind "$D/alternatives" /etc/alternatives || die "bind /etc/alternatives"
state_copy /etc/docker "$D/etc-docker" || die "copy /etc/docker"
mount --bind "$D/etc-docker" /etc/docker || die "bind /etc/docker"
if ! grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts; then
	mount -t cgroup2 cgroup2 /sys/fs/cgroup || skip "cannot mount cgroup2"
fi
[ "$(readlink -f "$(command -v iptables)")" = "$(readlink -f "$NFGATE")" ] ||
	die "iptables is $(readlink -f "$(command -v iptables)"), not nfgate"
log "iptables -V: $(iptables -V)"

# The client and the outside server, each a veth away from the VM's root.
ns_create "$CLI"
ns_create "$SRV"
ip link add veth0 netns "$CLI" type veth peer name nfgd-cli || die "veth cli"
ip link add veth0 netns "$SRV" type veth peer name nfgd-srv || die "veth srv"
ip addr add $RTR_CLI_IP/24 dev nfgd-cli
ip addr add $RTR_SRV_IP/24 dev nfgd-srv
ip link set nfgd-cli up
ip link set nfgd-srv up
ip -n "$CLI" addr add $CLI_IP/24 dev veth0
ip -n "$SRV" addr add $SRV_IP/24 dev veth0
ip -n "$CLI" link set veth0 up
ip -n "$SRV" link set veth0 up
ip -n "$CLI" route add default via $RTR_CLI_IP
ip -n "$SRV" route add default via $RTR_SRV_IP
ping_ok "$CLI" $RTR_CLI_IP 1 >/dev/null || die "topology: client cannot reach 192.0.2.1"
ping_ok "$SRV" $RTR_SRV_IP 1 >/dev/null || die "topology: srv cannot reach 198.51.100.1"
bg "$SRV" python3 -S -E "$ECHO" server tcp 8081 "$tmpdir/ready.srv" srv
wait_file "$tmpdir/ready.srv" 100 || die "echo server srv:8081"

# 1. dockerd, its containerd, state on tmpfs.
log "-- dockerd"
dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
	-H "unix://$SOCK" --bip 198.18.0.1/24 --storage-driver vfs \
	--iptables=true --ip6tables=false --ip-forward=true \
	--userland-proxy=false --log-level warn >"$tmpdir/dockerd.log" 2>&1 &
dockerd_pid=$!
for ((i = 0; i < 1200; i++)); do
	dk version >/dev/null 2>&1 && break
	kill -0 $dockerd_pid 2>/dev/null || break
	sleep 0.1
done
if ! dk version >/dev/null 2>&1; then
	sed 's/^/  dockerd: /' "$tmpdir/dockerd.log" | tail -n 40
	die "dockerd did not come up"
fi
log "dockerd up after ${SECONDS}s"
for c in "nat DOCKER" "filter DOCKER" "filter DOCKER-USER" \
	"filter DOCKER-ISOLATION-STAGE-1" "filter DOCKER-ISOLATION-STAGE-2"; do
	set -- $c
	"$NFGATE" -t "$1" -S "$2" >/dev/null 2>&1 ||
		fail "dockerd did not create $1 chain $2 through nfgate"
done

# The image: the host's static busybox, no registry.
mkdir -p "$D/rootfs"/{bin,www,etc,proc,sys,dev,tmp}
cp /bin/busybox "$D/rootfs/bin/" || die "busybox"
for a in sh httpd nc echo cat sleep wget; do
	ln -s busybox "$D/rootfs/bin/$a"
done
echo ctr >"$D/rootfs/www/index.html"
tar -C "$D/rootfs" -cf "$D/rootfs.tar" . || die "rootfs tarball"
dk import "$D/rootfs.tar" nfgbox:1 >/dev/null || die "docker import"

# 2. A published port.
log "-- docker run -p 8080:80"
out=$(dk run -d --name web -p 8080:80 nfgbox:1 httpd -f -p 80 -h /www 2>&1) ||
	{
		sed 's/^/  dockerd: /' "$tmpdir/dockerd.log" | tail -n 40
		die "docker run -p 8080:80: $out"
	}
ctr_ip=$(dk inspect -f '{{.NetworkSettings.IPAddress}}' web)
log "container web at $ctr_ip"
assert_match "the DNAT rule of -p 8080:80" \
	"^-A DOCKER (! -i docker0 )?-p tcp -m tcp --dport 8080 -j DNAT --to-destination $ctr_ip:80$" \
	"$("$NFGATE" -t nat -S DOCKER)"
assert_match "the filter DOCKER accept of -p 8080:80" \
	"^-A DOCKER -d $ctr_ip/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT$" \
	"$("$NFGATE" -t filter -S DOCKER)"
got=
for ((i = 0; i < 20; i++)); do
	got=$(fetch)
	[ "$got" = ctr ] && break
	sleep 0.5
done
if ! assert_eq "client -> 192.0.2.1:8080 (published)" ctr "$got"; then
	echo "  probe: $(tcp_probe "$CLI" $RTR_CLI_IP 8080); container: $(tcp_probe "$CLI" "$ctr_ip" 80)"
	"$NFGATE" -t nat -L -v -n -x | sed 's/^/  nat: /'
	"$NFGATE" -t filter -L FORWARD -v -n -x | sed 's/^/  filter: /'
	conntrack -L 2>/dev/null | sed 's/^/  ct: /' | head -n 20
	sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables 2>&1 | sed 's/^/  /'
	dk ps -a | sed 's/^/  ps: /'
	dk logs web 2>&1 | sed 's/^/  web: /' | head
fi
dnat=$("$NFGATE" -t nat -L DOCKER -v -n -x | awk '/DNAT/ && /dpt:8080/ { print $1 }')
[ "${dnat:-0}" -ge 1 ] && log "ok: DNAT rule counted $dnat packets" ||
	fail "the DNAT rule of 8080 counted ${dnat:-nothing}"

# 3. Egress, masqueraded.
log "-- container egress"
got=$(dk run --rm nfgbox:1 sh -c "echo hi | nc -w 3 $SRV_IP 8081" 2>&1)
assert_match "container -> srv:8081 masqueraded (srv sees 198.51.100.1)" \
	"^name=srv peer=$RTR_SRV_IP:[0-9]+ " "$got"

# 3b. A second bridge network: dockerd's isolation rules keep the default
# bridge's containers away from it (the host itself reaches it).
log "-- docker network create nfgnet"
dk network create --subnet 198.18.1.0/24 nfgnet >/dev/null ||
	fail "docker network create nfgnet"
dk run -d --name web2 --network nfgnet nfgbox:1 httpd -f -p 80 -h /www \
	>/dev/null || fail "docker run --network nfgnet"
ip2=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' web2)
get2() {
	printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 3 "$ip2" 80 2>&1 |
		tr -d '\r' | sed '1,/^$/d'
}
got=
for ((i = 0; i < 20; i++)); do
	got=$(get2)
	[ "$got" = ctr ] && break
	sleep 0.5
done
assert_eq "host -> web2 ($ip2) on nfgnet" ctr "$got"
assert_match "nfgnet's isolation rule" \
	"^-A DOCKER-ISOLATION-STAGE-2 -o br-[0-9a-f]+ -j DROP$" \
	"$("$NFGATE" -t filter -S DOCKER-ISOLATION-STAGE-2)"
got=$(dk run --rm nfgbox:1 sh -c \
	"printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $ip2 80" 2>&1 | tr -d '\r')
assert_no_match "default bridge container -> web2 (isolated)" '^ctr$' "$got"
iso=$("$NFGATE" -t filter -L DOCKER-ISOLATION-STAGE-2 -v -n -x |
	awk '$3 == "DROP" && $7 ~ /^br-/ { print $1 }')
[ "${iso:-0}" -ge 1 ] && log "ok: nfgnet's isolation DROP counted $iso packets" ||
	fail "nfgnet's isolation DROP counted ${iso:-nothing}"
dk rm -f web2 >/dev/null || fail "docker rm -f web2"
dk network rm nfgnet >/dev/null || fail "docker network rm nfgnet"
assert_no_match "nfgnet's rules gone after docker network rm" 'br-[0-9a-f]+' \
	"$("$NFGATE" -t filter -S; "$NFGATE" -t nat -S)"

# 4. What dockerd wrote, as iptables-legacy reads and saves it.
L=$NS_TAG-legacy
ns_create "$L"
{ "$NFGATE" save -t nat; "$NFGATE" save -t filter; } >"$tmpdir/docker.rules"
if ip netns exec "$L" iptables-legacy-restore <"$tmpdir/docker.rules"; then
	a=$({ "$NFGATE" save -t nat; "$NFGATE" save -t filter; } | grep -v '^#' |
		sed 's/ \[[0-9]*:[0-9]*\]$//')
	b=$(saved legacy "$L" nat; saved legacy "$L" filter)
	if [ "$a" = "$b" ]; then
		log "ok: dockerd's rules saved by nfgate = by iptables-legacy ($(grep -c '^-A' <<<"$a") rules)"
	else
		fail "dockerd's rules: nfgate's save is not iptables-legacy's"
		show_diff "$b" "$a"
	fi
else
	fail "iptables-legacy-restore refused nfgate's save of dockerd's rules"
fi

# 5. docker rm.
log "-- docker rm -f web"
dk rm -f web >/dev/null || fail "docker rm -f web"
assert_no_match "DNAT rule gone after docker rm" "8080" "$("$NFGATE" -t nat -S)"
assert_no_match "filter DOCKER accept gone after docker rm" "$ctr_ip" \
	"$("$NFGATE" -t filter -S)"
got=$(fetch)
assert_no_match "client -> 192.0.2.1:8080 after docker rm" '^ctr$' "$got"
for c in "nat DOCKER" "filter DOCKER-USER"; do
	set -- $c
	"$NFGATE" -t "$1" -S "$2" >/dev/null 2>&1 ||
		fail "chain $1 $2 gone after docker rm (dockerd keeps it)"
done

if grep -q -i 'iptables' "$tmpdir/dockerd.log"; then
	log "dockerd said about iptables:"
	grep -i 'iptables' "$tmpdir/dockerd.log" | sed 's/^/  dockerd: /' | head -n 20
fi
exit $ret
