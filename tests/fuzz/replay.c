/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * replay.c - a main() for fuzz targets built without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file named on the command line, so
 * make check replays every seed (and every crash reproducer kept in the
 * corpus) on a normal build, under the sanitizers when they are enabled.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
    FILE *fp;
    unsigned char *data;
    long size;
    size_t got;

    if ((fp = fopen(path, "rb")) == NULL) {
        perror(path);
        return -1;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        perror(path);
        fclose(fp);
        return -1;
    }

    /* Copy into an exact-size allocation so ASan catches any over-read. */
    if ((data = malloc(size > 0 ? (size_t)size : 1)) == NULL) {
        fclose(fp);
        return -1;
    }
    got = fread(data, 1, (size_t)size, fp);
    fclose(fp);
    if (got != (size_t)size) {
        fprintf(stderr, "%s: short read\n", path);
        free(data);
        return -1;
    }

    LLVMFuzzerTestOneInput(data, got);
    free(data);
    return 0;
}

int
main(int argc, char **argv)
{
    int i, status = 0;

    for (i = 1; i < argc; i++)
        if (replay_file(argv[i]) != 0)
            status = 1;
    return status;
}
