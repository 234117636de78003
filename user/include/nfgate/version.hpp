// SPDX-License-Identifier: GPL-2.0
// The nfgate user-space version string.
#pragma once

#define NFGATE_VERSION "0.1.0"
