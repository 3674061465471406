// A WASI command in C, built at test time by clang with Debian's wasi-libc and made a
// component by the WASI preview1 command adapter (tests/wasi/c-programs.mjs). It runs the
// paths of wasi-libc and the adapter that every C program meets: arguments and
// environment, stdio, files under a preopened directory, and exit codes.
//
//   command args A B ...       prints each argument (argv[0] first) on a line
//   command env NAME ...       prints NAME=value (or NAME unset) for each name
//   command cat                copies stdin to stdout in 64 KiB reads
//   command gen N              writes N bytes (i % 251) to stdout
//   command stdio              writes a line to stdout and one to stderr
//   command files DIR          file operations under DIR (a preopen), one line each
//   command open PATH          tries to open PATH for reading; prints ok or the errno name
//   command exit N             exit(N)
//   command gen-then N how     writes N bytes, then ends by `exit` (exit(3)) or `trap`
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    default: return "EOTHER";
  }
}

// Prints `what: ok` or `what: ERRNO` and returns whether it succeeded.
static int report(const char* what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : errno_name(errno));
  return ok;
}

static int cmp_names(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static void list_dir(const char* dir) {
  DIR* d = opendir(dir);
  if (!report("opendir", d != NULL)) return;
  char* names[64];
  int n = 0;
  struct dirent* entry;
  while ((entry = readdir(d)) != NULL && n < 64) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    names[n++] = strdup(entry->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp_names);
  printf("entries:");
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static int files(const char* dir) {
  char path[512], other[512];
  // Read a file the host made.
  snprintf(path, sizeof path, "%s/in.txt", dir);
  FILE* in = fopen(path, "r");
  if (!report("fopen in.txt", in != NULL)) return 1;
  char buf[256] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, in);
  fclose(in);
  printf("read: %zu bytes: %s\n", n, buf);
  // stat it.
  struct stat st;
  if (report("stat in.txt", stat(path, &st) == 0)) {
    printf("size: %lld, regular: %d\n", (long long)st.st_size, S_ISREG(st.st_mode) ? 1 : 0);
  }
  // Write a new file, append to it, read it back.
  snprintf(path, sizeof path, "%s/out.txt", dir);
  FILE* out = fopen(path, "w");
  if (!report("fopen out.txt w", out != NULL)) return 1;
  fputs("written by C\n", out);
  fclose(out);
  out = fopen(path, "a");
  if (!report("fopen out.txt a", out != NULL)) return 1;
  fputs("appended\n", out);
  fclose(out);
  int fd = open(path, O_RDONLY);
  if (report("open out.txt", fd >= 0)) {
    char back[64] = {0};
    ssize_t got = read(fd, back, sizeof back - 1);
    printf("read back: %zd bytes\n", got);
    lseek(fd, 11, SEEK_SET);
    char tail[16] = {0};
    read(fd, tail, 1);
    printf("at 11: %s\n", tail);
    close(fd);
  }
  // A directory, a rename into it, readdir, removal.
  snprintf(path, sizeof path, "%s/sub", dir);
  report("mkdir sub", mkdir(path, 0755) == 0);
  report("mkdir sub again", mkdir(path, 0755) == 0);
  snprintf(path, sizeof path, "%s/out.txt", dir);
  snprintf(other, sizeof other, "%s/sub/moved.txt", dir);
  report("rename", rename(path, other) == 0);
  list_dir(dir);
  snprintf(path, sizeof path, "%s/sub", dir);
  list_dir(path);
  report("rmdir non-empty", rmdir(path) == 0);
  snprintf(path, sizeof path, "%s/sub/gone.txt", dir);
  FILE* gone = fopen(path, "w");
  if (gone) fclose(gone);
  report("unlink", unlink(path) == 0);
  report("open missing", open(path, O_RDONLY) >= 0);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: command args|env|cat|gen|stdio|files|open|exit ...\n");
    return 2;
  }
  const char* mode = argv[1];
  if (strcmp(mode, "args") == 0) {
    for (int i = 0; i < argc; i++) printf("%s\n", argv[i]);
  } else if (strcmp(mode, "env") == 0) {
    for (int i = 2; i < argc; i++) {
      const char* value = getenv(argv[i]);
      if (value) printf("%s=%s\n", argv[i], value);
      else printf("%s unset\n", argv[i]);
    }
  } else if (strcmp(mode, "cat") == 0) {
    static char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) fwrite(buf, 1, n, stdout);
  } else if ((strcmp(mode, "gen") == 0 && argc > 2) || (strcmp(mode, "gen-then") == 0 && argc > 3)) {
    static char buf[65536];
    long total = atol(argv[2]);
    long i = 0;
    while (i < total) {
      size_t n = 0;
      for (; n < sizeof buf && i < total; n++, i++) buf[n] = (char)(i % 251);
      fwrite(buf, 1, n, stdout);
    }
    if (strcmp(mode, "gen-then") == 0) {
      fflush(stdout);
      if (strcmp(argv[3], "trap") == 0) __builtin_trap();
      exit(3);
    }
  } else if (strcmp(mode, "stdio") == 0) {
    printf("to stdout\n");
    fprintf(stderr, "to stderr\n");
  } else if (strcmp(mode, "files") == 0 && argc > 2) {
    return files(argv[2]);
  } else if (strcmp(mode, "open") == 0 && argc > 2) {
    int fd = open(argv[2], O_RDONLY);
    report("open", fd >= 0);
  } else if (strcmp(mode, "exit") == 0 && argc > 2) {
    fflush(stdout);
    exit(atoi(argv[2]));
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}
