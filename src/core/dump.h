/* SPDX-License-Identifier: BSD-3-Clause */
/* dump.h: `numatopd --dump`: the model as aligned text tables or as the JSON documented in the
 * README ("--dump=json"). Pure formatting. */
#ifndef NUMATOPD_DUMP_H
#define NUMATOPD_DUMP_H

#include <stdio.h>

#include "core/model.h"

void dump_text(FILE *f, const struct model *m);
void dump_json(FILE *f, const struct model *m);

#endif
