// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet match of one rule: every present match must hold (each with
 * its own '!').  Runs under RCU with BH disabled and never allocates.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "ifnames.h"
#include "match.h"

static inline bool nfgate_inv(bool hit, const struct nfgate_match *m, u16 bit)
{
	return hit ^ !!(m->inv & bit);
}

/*
 * A side without device at this hook (no input device at OUTPUT, no
 * output device at PREROUTING and INPUT) has the empty name, as in
 * iptables (ip_packet_match() compares an all-zero name): it matches no
 * exact name and no "prefix+" with a prefix, but it matches "+" (len 0),
 * so "! -i +" never matches there.  The classifier keys it the same way.
 */
static bool nfgate_iface(const struct net_device *dev, const char *name,
			 u8 len)
{
	return strncmp(dev ? dev->name : "", name, len) == 0;
}

/*
 * Load the ports of a TCP/UDP head fragment; false if the header is not
 * all there.  The classifier loads them up front with this.
 */
bool nfgate_load_ports_quiet(struct nfgate_pkt *pkt)
{
	unsigned int hlen = pkt->proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
							sizeof(struct udphdr);
	union {
		struct tcphdr tcp;
		struct udphdr udp;
	} buf;
	const __be16 *ports;

	ports = skb_header_pointer(pkt->skb, pkt->thoff, hlen, &buf);
	if (!ports)
		return false;
	pkt->sport = ntohs(ports[0]);
	pkt->dport = ntohs(ports[1]);
	pkt->ports = NFGATE_PORTS_OK;
	return true;
}

/*
 * Like xt_tcpudp, a header that is not all there (20 bytes for TCP, 8 for
 * UDP) is reason to drop.
 */
static bool nfgate_load_ports(struct nfgate_pkt *pkt)
{
	if (nfgate_load_ports_quiet(pkt))
		return true;
	pkt->hotdrop = true;
	return false;
}

static inline bool nfgate_port_in(u16 port, const u16 range[2])
{
	return port >= range[0] && port <= range[1];
}

bool nfgate_match(const struct nfgate_match *m, struct nfgate_pkt *pkt)
{
	u16 f = m->present;

	if (!f)
		return true;
	if ((f & NFGATE_M_SRC) &&
	    !nfgate_inv((pkt->saddr & m->smsk) == m->src, m, NFGATE_M_SRC))
		return false;
	if ((f & NFGATE_M_DST) &&
	    !nfgate_inv((pkt->daddr & m->dmsk) == m->dst, m, NFGATE_M_DST))
		return false;
	if ((f & NFGATE_M_PROTO) &&
	    !nfgate_inv(pkt->proto == m->proto, m, NFGATE_M_PROTO))
		return false;
	if ((f & NFGATE_M_IIF) &&
	    !nfgate_inv(nfgate_iface(pkt->in, m->ifn->iif, m->ifn->iif_len),
			m, NFGATE_M_IIF))
		return false;
	if ((f & NFGATE_M_OIF) &&
	    !nfgate_inv(nfgate_iface(pkt->out, m->ifn->oif, m->ifn->oif_len),
			m, NFGATE_M_OIF))
		return false;
	if (!(f & (NFGATE_M_SPORT | NFGATE_M_DPORT)) ||
	    (m->ext & NFGATE_MX_PORTS_LATE))
		return true;
	return nfgate_match_ports(m, pkt);
}

/*
 * The core's tcp/udp ports; nfgate_match() runs them last, or, for a rule
 * whose ports wait for a match with a side effect, the -m tcp/udp marker
 * does (nfgate_ext_match()).
 */
bool nfgate_match_ports(const struct nfgate_match *m, struct nfgate_pkt *pkt)
{
	u16 f = m->present;

	/*
	 * Port matches (a bare -m tcp/udp is a full source range) imply a
	 * non-inverted tcp/udp protocol match, which held above.  As
	 * xt_tcpudp, before any '!': later fragments carry no ports and
	 * never match, and a TCP fragment at offset 1 (8 bytes), which
	 * would overwrite the flags of the head's header, is dropped.
	 */
	if (pkt->fragoff) {
		if (pkt->fragoff == 1 && pkt->proto == IPPROTO_TCP)
			pkt->hotdrop = true;
		return false;
	}
	if (pkt->ports != NFGATE_PORTS_OK && !nfgate_load_ports(pkt))
		return false;
	if ((f & NFGATE_M_SPORT) &&
	    !nfgate_inv(nfgate_port_in(pkt->sport, m->sport), m,
			NFGATE_M_SPORT))
		return false;
	if ((f & NFGATE_M_DPORT) &&
	    !nfgate_inv(nfgate_port_in(pkt->dport, m->dport), m,
			NFGATE_M_DPORT))
		return false;
	return true;
}
