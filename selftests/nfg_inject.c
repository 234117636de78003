// SPDX-License-Identifier: GPL-2.0
/*
 * nfg_inject: sends crafted IPv4 packets as Ethernet frames (AF_PACKET),
 * so that a test picks every field a rule can match: the device a packet
 * leaves on (and so the router's input device), source and destination
 * address, protocol and ports.
 *
 *   nfg_inject < PACKETS
 *
 * One packet per input line:
 *
 *   DEV DSTMAC SRC DST PROTO SPORT DPORT [FRAGOFF MF [L4LEN [X [Y [TTL TOS]]]]]
 *
 * PROTO 6 sends a 40-byte TCP SYN, 17 a 32-byte UDP datagram, 1 a 28-byte
 * ICMP echo request, anything else 24 bytes (4 of zero payload); ports are
 * used for 6 and 17 only.  TTL 64, DF, valid IP checksum.
 *
 * X and Y change the transport header: for TCP, X is the flags byte
 * (0x02 = SYN by default; 0xC0 are ECE/CWR) and Y the options as hex
 * bytes ("020405b4": MSS), zero-padded to a multiple of 4, the data
 * offset following ("-": none); for ICMP, X is the type and Y the code
 * (echo request 8/0 by default); for another protocol, X 1 puts SPORT
 * and DPORT in its first 4 bytes.
 *
 * The optional fields craft fragments and short headers: FRAGOFF is the
 * IP fragment offset in 8-byte units (0..8191), MF 1 sets the more
 * fragments flag; either clears DF.  L4LEN (0..1400) is the number of
 * bytes after the IP header: the L4 header above is cut to it or padded
 * with zeros, and the IP total length follows.  The bytes are the same
 * whatever the offset (a later fragment simply carries them as payload).
 *
 * TTL and TOS (both 0..255, after Y; X -1 and Y "-" or -1 keep the
 * defaults) set those IP header fields and make a "differential" packet:
 * the TCP and UDP checksums are computed (conntrack would otherwise call
 * the packet INVALID) and a UDP datagram carries the line number, the
 * packet's id, in its 4 payload bytes, as TCP's sequence number and
 * ICMP's echo sequence do; ICMP's echo id is the line number too, so that
 * each has a connection of its own (selftests/nfgate_differential.sh).
 *
 * Every 32 packets it pauses 1 ms so that the receiver's backlog never
 * overflows.  Prints "sent N"; exit status 0, 2 on bad input or socket
 * errors.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nfg_csum.h"

#define L4_MAX		1400

/* How a packet departs from a whole, unfragmented one. */
struct frag {
	int off;	/* fragment offset, 8-byte units */
	int mf;		/* more fragments */
	int l4len;	/* bytes after the IP header; -1: the protocol's */
	int x;		/* TCP flags, ICMP type, ports (see above); -1: none */
	int y;		/* ICMP code; -1: none */
	unsigned char opt[40];	/* TCP options */
	int optlen;
	int ttl;	/* -1: 64 */
	int tos;	/* -1: 0 */
};

/* "020405b4" into fr->opt; "-" is none.  -1 on bad input. */
static int parse_opts(const char *hex, struct frag *fr)
{
	unsigned int b;

	fr->optlen = 0;
	if (!strcmp(hex, "-"))
		return 0;
	for (; *hex; hex += 2) {
		if (!hex[1] || fr->optlen == (int)sizeof(fr->opt) ||
		    sscanf(hex, "%2x", &b) != 1)
			return -1;
		fr->opt[fr->optlen++] = b;
	}
	return 0;
}

/* Build the IP packet into buf; returns its length. */
static int build(unsigned char *buf, struct in_addr src, struct in_addr dst,
		 int proto, int sport, int dport, uint16_t id,
		 const struct frag *fr)
{
	struct iphdr *ip = (struct iphdr *)buf;
	unsigned char *l4 = buf + sizeof(*ip);
	int l4len;

	switch (proto) {
	case 6:
		l4len = 20 + (fr->optlen + 3) / 4 * 4;
		memset(l4, 0, l4len);
		*(uint16_t *)l4 = htons(sport);
		*(uint16_t *)(l4 + 2) = htons(dport);
		*(uint32_t *)(l4 + 4) = htonl(id);
		l4[12] = (l4len / 4) << 4;	/* data offset */
		l4[13] = fr->x >= 0 ? fr->x : 0x02;	/* SYN */
		*(uint16_t *)(l4 + 14) = htons(1024);
		memcpy(l4 + 20, fr->opt, fr->optlen);
		break;
	case 17:
		l4len = 12;
		memset(l4, 0, l4len);
		*(uint16_t *)l4 = htons(sport);
		*(uint16_t *)(l4 + 2) = htons(dport);
		*(uint16_t *)(l4 + 4) = htons(l4len);
		if (fr->ttl >= 0)
			*(uint32_t *)(l4 + 8) = htonl(id);
		break;
	case 1:
		l4len = 8;
		memset(l4, 0, l4len);
		l4[0] = fr->x >= 0 ? fr->x : 8;	/* echo request */
		l4[1] = fr->y >= 0 ? fr->y : 0;
		*(uint16_t *)(l4 + 6) = htons(id);
		if (fr->ttl >= 0)
			*(uint16_t *)(l4 + 4) = htons(id);
		*(uint16_t *)(l4 + 2) = nfg_csum(l4, l4len);
		break;
	default:
		l4len = 4;
		memset(l4, 0, l4len);
		if (fr->x == 1) {
			*(uint16_t *)l4 = htons(sport);
			*(uint16_t *)(l4 + 2) = htons(dport);
		}
	}
	if (fr->l4len >= 0) {
		if (fr->l4len > l4len)
			memset(l4 + l4len, 0, fr->l4len - l4len);
		l4len = fr->l4len;
	}
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + l4len);
	ip->id = htons(id);
	if (fr->off || fr->mf)
		ip->frag_off = htons(fr->off | (fr->mf ? IP_MF : 0));
	else
		ip->frag_off = htons(IP_DF);
	ip->ttl = fr->ttl >= 0 ? fr->ttl : 64;
	ip->tos = fr->tos >= 0 ? fr->tos : 0;
	ip->protocol = proto;
	ip->saddr = src.s_addr;
	ip->daddr = dst.s_addr;
	ip->check = nfg_csum(ip, sizeof(*ip));
	if (fr->ttl >= 0 && !fr->off && proto == 6 && l4len >= 20)
		*(uint16_t *)(l4 + 16) = nfg_l4_csum(ip, l4, l4len);
	if (fr->ttl >= 0 && !fr->off && proto == 17 && l4len >= 8) {
		*(uint16_t *)(l4 + 4) = htons(l4len);
		*(uint16_t *)(l4 + 6) = nfg_l4_csum(ip, l4, l4len) ?: 0xffff;
	}
	return sizeof(*ip) + l4len;
}

int main(void)
{
	char dev[IF_NAMESIZE + 1], mac[32], src[32], dst[32], line[256];
	char ystr[96];
	int proto, sport, dport, fd, len, n, lineno = 0;
	unsigned char buf[sizeof(struct iphdr) + L4_MAX];
	unsigned long sent = 0;

	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (fd < 0) {
		perror("nfg_inject: socket(AF_PACKET)");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		struct sockaddr_ll sll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_IP),
			.sll_halen = ETH_ALEN,
		};
		struct frag fr = { .l4len = -1, .x = -1, .y = -1, .ttl = -1,
				   .tos = -1 };
		struct in_addr s, d;

		lineno++;
		n = sscanf(line,
			   "%16s %31s %31s %31s %d %d %d %d %d %d %i %95s %d %i",
			   dev, mac, src, dst, &proto, &sport, &dport, &fr.off,
			   &fr.mf, &fr.l4len, &fr.x, ystr, &fr.ttl, &fr.tos);
		if (n >= 12 && proto == 6 && parse_opts(ystr, &fr))
			n = -1;
		else if (n >= 12 && proto != 6 && sscanf(ystr, "%i", &fr.y) != 1)
			n = -1;
		if ((n != 7 && n != 9 && n != 10 && n != 11 && n != 12 &&
		     n != 14) ||
		    fr.ttl < -1 || fr.ttl > 255 || fr.tos < -1 || fr.tos > 255 ||
		    fr.x < -1 || fr.x > 255 || fr.y < -1 || fr.y > 255 ||
		    fr.off < 0 || fr.off > 8191 || fr.mf < 0 || fr.mf > 1 ||
		    fr.l4len < -1 || fr.l4len > L4_MAX ||
		    inet_pton(AF_INET, src, &s) != 1 ||
		    inet_pton(AF_INET, dst, &d) != 1 ||
		    sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			   &sll.sll_addr[0], &sll.sll_addr[1], &sll.sll_addr[2],
			   &sll.sll_addr[3], &sll.sll_addr[4],
			   &sll.sll_addr[5]) != 6 ||
		    proto < 0 || proto > 255) {
			fprintf(stderr, "nfg_inject: line %d: bad packet: %s",
				lineno, line);
			return 2;
		}
		sll.sll_ifindex = if_nametoindex(dev);
		if (!sll.sll_ifindex) {
			fprintf(stderr, "nfg_inject: line %d: no device %s\n",
				lineno, dev);
			return 2;
		}
		len = build(buf, s, d, proto, sport, dport, lineno, &fr);
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) != len) {
			fprintf(stderr, "nfg_inject: line %d: sendto: %m\n",
				lineno);
			return 2;
		}
		if (++sent % 32 == 0)
			usleep(1000);
	}
	printf("sent %lu\n", sent);
	return 0;
}
