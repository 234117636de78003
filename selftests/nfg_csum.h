/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfg_csum.h: the Internet checksum (RFC 1071) for the helpers that build
 * IPv4 packets by hand (nfg_inject.c, nfg_rawsend.c): over a buffer, and
 * TCP/UDP's over the pseudo header.
 */
#ifndef NFGATE_SELFTESTS_NFG_CSUM_H
#define NFGATE_SELFTESTS_NFG_CSUM_H

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <stdint.h>

/* The folded, complemented sum of sum and data[0..len). */
static inline uint16_t nfg_csum_add(uint32_t sum, const void *data, int len)
{
	const uint16_t *p = data;

	for (; len > 1; len -= 2)
		sum += *p++;
	if (len)
		sum += *(const uint8_t *)p;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static inline uint16_t nfg_csum(const void *data, int len)
{
	return nfg_csum_add(0, data, len);
}

/* The TCP or UDP checksum over the pseudo header and l4[0..len). */
static inline uint16_t nfg_l4_csum(const struct iphdr *ip,
				   const unsigned char *l4, int len)
{
	uint32_t sum = 0;

	sum += ip->saddr & 0xffff;
	sum += ip->saddr >> 16;
	sum += ip->daddr & 0xffff;
	sum += ip->daddr >> 16;
	sum += htons(ip->protocol);
	sum += htons(len);
	return nfg_csum_add(sum, l4, len);
}

#endif
