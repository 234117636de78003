// SPDX-License-Identifier: GPL-2.0
/*
 * nfg_rawsend: sends IPv4 packets whose every header byte the test
 * chooses, including the ones the stack would refuse to build: IP
 * options, a wrong IHL, total length or checksum, and transport headers
 * given byte by byte.  Two ways out:
 *
 *   raw               an IPPROTO_RAW socket (IP_HDRINCL): the packet is
 *                     the sender's own, through LOCAL_OUT and POST_ROUTING
 *                     (raw_send_hdrinc() only checks the IHL against the
 *                     length, then rewrites total length and checksum);
 *   eth:DEV:MAC       an AF_PACKET frame to MAC on DEV: exactly these
 *                     bytes reach the receiver's ip_rcv().
 *
 *   nfg_rawsend < PACKETS
 *
 * One packet per line:
 *
 *   WAY SRC DST PROTO L4HEX [KEY=VALUE...]
 *
 * L4HEX is everything after the IP header, as hex bytes ("-": nothing;
 * '.' may separate groups).  KEYs change the IP header:
 *
 *   opt=HEX   IP options after the 20 fixed bytes, zero-padded (EOL) to a
 *             multiple of 4; the IHL follows
 *   ihl=N     the IHL field (0..15) instead (the bytes stay as built)
 *   tot=N     the total length field (default: the bytes built)
 *   frag=N    the fragment offset (8-byte units); mf=1 more fragments;
 *             either clears DF, which is set otherwise
 *   csum=bad  a checksum one off (it is computed over the IHL's bytes)
 *   ver=N     the version field (default 4)
 *   cut=N     send only the first N bytes built (a frame shorter than its
 *             total length)
 *   pad=N     N zero bytes after the packet, outside the total length
 *
 * The IP id is the line number, TTL 64.  For each line it prints "ok" or
 * the name of sendto()'s errno (EINVAL, EPERM: a LOCAL_OUT hook dropped
 * it), then "sent N".  Exit status 0, 2 on bad input or no socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nfg_csum.h"

#define PKT_MAX		1500

/* Hex bytes ('.' ignored, "-" none) into out; their number or -1. */
static int unhex(const char *s, unsigned char *out, int max)
{
	unsigned int b;
	int n = 0;

	if (!strcmp(s, "-"))
		return 0;
	while (*s) {
		if (*s == '.') {
			s++;
			continue;
		}
		if (!s[1] || n == max || sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return n;
}

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOBUFS: return "ENOBUFS";
	case EFAULT: return "EFAULT";
	default: return "EOTHER";
	}
}

struct way {
	int eth;
	char dev[IF_NAMESIZE + 1];
	unsigned char mac[ETH_ALEN];
};

static int parse_way(const char *s, struct way *w)
{
	const char *m;
	size_t n;

	memset(w, 0, sizeof(*w));
	if (!strcmp(s, "raw"))
		return 0;
	if (strncmp(s, "eth:", 4))
		return -1;
	s += 4;
	m = strchr(s, ':');
	if (!m)
		return -1;
	n = m - s;
	if (!n || n > IF_NAMESIZE)
		return -1;
	memcpy(w->dev, s, n);
	w->eth = 1;
	return sscanf(m + 1, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &w->mac[0],
		      &w->mac[1], &w->mac[2], &w->mac[3], &w->mac[4],
		      &w->mac[5]) == 6 ? 0 : -1;
}

/* Applies KEY=VALUE to the packet being built; -1 on a bad one. */
struct keys {
	unsigned char opt[40];
	int optlen, ihl, tot, frag, mf, badsum, ver, cut, pad;
};

static int parse_key(const char *kv, struct keys *k)
{
	const char *v = strchr(kv, '=');
	char *end;
	long n;

	if (!v)
		return -1;
	v++;
	if (!strncmp(kv, "opt=", 4)) {
		k->optlen = unhex(v, k->opt, sizeof(k->opt));
		return k->optlen < 0 ? -1 : 0;
	}
	if (!strcmp(kv, "csum=bad")) {
		k->badsum = 1;
		return 0;
	}
	n = strtol(v, &end, 0);
	if (*end || !*v || n < 0)
		return -1;
	if (!strncmp(kv, "ihl=", 4) && n <= 15)
		k->ihl = n;
	else if (!strncmp(kv, "tot=", 4) && n <= 65535)
		k->tot = n;
	else if (!strncmp(kv, "frag=", 5) && n <= 8191)
		k->frag = n;
	else if (!strncmp(kv, "mf=", 3) && n <= 1)
		k->mf = n;
	else if (!strncmp(kv, "ver=", 4) && n <= 15)
		k->ver = n;
	else if (!strncmp(kv, "cut=", 4) && n <= PKT_MAX)
		k->cut = n;
	else if (!strncmp(kv, "pad=", 4) && n <= 64)
		k->pad = n;
	else
		return -1;
	return 0;
}

int main(void)
{
	char way_s[64], src[32], dst[32], l4hex[2 * PKT_MAX + 256];
	static char line[sizeof(l4hex) + 512];
	unsigned char buf[PKT_MAX + 64];
	int fd_raw = -1, fd_eth = -1, lineno = 0, proto, len, off, hl, fd;
	unsigned long sent = 0;

	while (fgets(line, sizeof(line), stdin)) {
		struct keys k = { .ihl = -1, .tot = -1, .ver = 4, .cut = -1 };
		struct sockaddr_ll sll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_IP),
			.sll_halen = ETH_ALEN,
		};
		struct sockaddr_in sin = { .sin_family = AF_INET };
		struct iphdr *ip = (struct iphdr *)buf;
		struct in_addr s;
		struct way w;
		char *tok, *save;
		int l4len, i, bad = 0;
		ssize_t r;

		lineno++;
		if (sscanf(line, "%63s %31s %31s %i %3099s%n", way_s, src, dst,
			   &proto, l4hex, &off) != 5)
			bad = 1;
		for (tok = bad ? NULL : strtok_r(line + off, " \t\n", &save);
		     tok; tok = strtok_r(NULL, " \t\n", &save))
			if (parse_key(tok, &k))
				bad = 1;
		hl = bad ? 0 : 20 + (k.optlen + 3) / 4 * 4;
		memset(buf, 0, sizeof(buf));
		l4len = bad ? -1 : unhex(l4hex, buf + hl, PKT_MAX - hl);
		if (bad || l4len < 0 || parse_way(way_s, &w) ||
		    proto < 0 || proto > 255 ||
		    inet_pton(AF_INET, src, &s) != 1 ||
		    inet_pton(AF_INET, dst, &sin.sin_addr) != 1) {
			fprintf(stderr, "nfg_rawsend: line %d: bad packet: %s",
				lineno, line);
			return 2;
		}
		memcpy(buf + 20, k.opt, k.optlen);
		len = hl + l4len;
		ip->version = k.ver;
		ip->ihl = k.ihl >= 0 ? k.ihl : hl / 4;
		ip->tot_len = htons(k.tot >= 0 ? k.tot : len);
		ip->id = htons(lineno);
		ip->frag_off = htons(k.frag | (k.mf ? IP_MF : 0) |
				     (k.frag || k.mf ? 0 : IP_DF));
		ip->ttl = 64;
		ip->protocol = proto;
		ip->saddr = s.s_addr;
		ip->daddr = sin.sin_addr.s_addr;
		/* over the header the IHL claims, as the receiver checks it */
		ip->check = nfg_csum(ip, ip->ihl >= 5 ? ip->ihl * 4 : hl);
		if (k.badsum)
			ip->check ^= htons(1);
		for (i = 0; i < k.pad; i++)
			buf[len++] = 0;
		if (k.cut >= 0 && k.cut < len)
			len = k.cut;

		if (w.eth) {
			if (fd_eth < 0)
				fd_eth = socket(AF_PACKET, SOCK_DGRAM,
						htons(ETH_P_IP));
			fd = fd_eth;
			sll.sll_ifindex = if_nametoindex(w.dev);
			memcpy(sll.sll_addr, w.mac, ETH_ALEN);
			if (!sll.sll_ifindex) {
				fprintf(stderr, "nfg_rawsend: no device %s\n",
					w.dev);
				return 2;
			}
		} else {
			if (fd_raw < 0)
				fd_raw = socket(AF_INET, SOCK_RAW,
						IPPROTO_RAW);
			fd = fd_raw;
		}
		if (fd < 0) {
			perror("nfg_rawsend: socket");
			return 2;
		}
		if (w.eth)
			r = sendto(fd, buf, len, 0, (struct sockaddr *)&sll,
				   sizeof(sll));
		else
			r = sendto(fd, buf, len, 0, (struct sockaddr *)&sin,
				   sizeof(sin));
		if (r == len)
			puts("ok");
		else
			puts(r < 0 ? errname(errno) : "short");
		sent++;
		if (sent % 16 == 0)
			usleep(1000);
	}
	printf("sent %lu\n", sent);
	return 0;
}
