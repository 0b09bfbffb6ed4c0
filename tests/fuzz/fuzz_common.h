/* Shared by the libFuzzer targets: the input as a file, since the library
 * reads paths (an anonymous memory file named through /proc/self/fd). */
#ifndef RC_FUZZ_COMMON_H
#define RC_FUZZ_COMMON_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    int fd;
    char path[64];
} FuzzFile;

static inline void fuzz_file_open(FuzzFile *f, const uint8_t *data, size_t len)
{
    f->fd = memfd_create("rc-fuzz", 0);
    if (f->fd < 0)
        abort();
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(f->fd, data + off, len - off);
        if (w <= 0)
            abort();
        off += (size_t)w;
    }
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

static inline void fuzz_file_close(FuzzFile *f)
{
    close(f->fd);
}

#endif
