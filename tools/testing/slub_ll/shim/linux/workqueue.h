/* SPDX-License-Identifier: GPL-2.0 */
#include "../sll_kernel.h"
