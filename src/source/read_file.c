/* SPDX-License-Identifier: BSD-3-Clause */
/* read_file.c: read a small file whole into memory with a size bound, without blocking on a
 * FIFO and, for files a tenant can influence, without following a symbolic link. */
#include "source/read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

int read_file(const char *path, size_t max, bool nofollow, char **buf, size_t *len,
	      struct stat *st_out, char *err, size_t errlen)
{
	struct stat st;
	size_t cap, n = 0;
	char *p = NULL;
	int fd, flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;

	if (nofollow)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd < 0) {
		int e = errno;

		err_set(err, errlen, "%s", e == ELOOP ? "is a symbolic link" : strerror(e));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		err_set(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, errlen, "not a regular file");
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		err_set(err, errlen, "larger than %zu bytes", max);
		goto fail;
	}
	cap = (size_t)st.st_size + 1 > 4096 ? (size_t)st.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	p = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > max) {
				err_set(err, errlen, "larger than %zu bytes", max);
				goto fail;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			p = xreallocarray(p, cap + 1, 1);
		}
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, errlen, "%s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		err_set(err, errlen, "larger than %zu bytes", max);
		goto fail;
	}
	close(fd);
	p[n] = '\0';
	*buf = p;
	*len = n;
	if (st_out)
		*st_out = st;
	return 0;
fail:
	free(p);
	close(fd);
	return -1;
}
