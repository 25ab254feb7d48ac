/* bench/feed.sh's reference: the floor of a one-loop fan-out on this machine. N loopback TCP
 * connections; a child process (on another core) reads them all with epoll, as the load client
 * does; the parent writes one 54-byte WebSocket frame (a Number patch's size) to each
 * connection, ROUNDS times, with nothing else: no framing library, no event loop, no JSON. It
 * prints the CPU time the writer spent per frame (µs) and the time per round (ms).
 *     write_floor N ROUNDS WRITER_CORE READER_CORE */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int core)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        return fprintf(stderr, "usage: write_floor N ROUNDS WRITER_CORE READER_CORE\n"), 2;
    int n = atoi(argv[1]), rounds = atoi(argv[2]);
    if (n < 1 || n > 60000 || rounds < 1 || rounds > 10000)
        return fprintf(stderr, "write_floor: N in 1..60000, ROUNDS in 1..10000\n"), 2;
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 4096) ||
        getsockname(ls, (struct sockaddr *)&a, &alen))
        return perror("write_floor: listen"), 1;
    int *fds = calloc((size_t)n, sizeof *fds);
    pid_t reader = fork();
    if (reader == 0) { /* connect n, then read everything until the parent closes them */
        pin(atoi(argv[4]));
        int ep = epoll_create1(0), open = n;
        for (int i = 0; i < n; i++) {
            int c = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(c, (struct sockaddr *)&a, sizeof a))
                _exit(1);
            epoll_ctl(ep, EPOLL_CTL_ADD, c, &(struct epoll_event){.events = EPOLLIN, .data.fd = c});
        }
        char buf[65536];
        struct epoll_event ev[256];
        while (open > 0) {
            int k = epoll_wait(ep, ev, 256, 10000);
            if (k <= 0)
                _exit(2);
            for (int i = 0; i < k; i++)
                if (read(ev[i].data.fd, buf, sizeof buf) <= 0)
                    close(ev[i].data.fd), open--;
        }
        _exit(0);
    }
    pin(atoi(argv[3]));
    for (int i = 0; i < n; i++) {
        fds[i] = accept(ls, NULL, NULL);
        setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    char frame[54] = {(char)0x81, 52};
    memset(frame + 2, 'x', sizeof frame - 2);
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_ms();
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            if (write(fds[i], frame, sizeof frame) != (ssize_t)sizeof frame)
                return perror("write_floor: write"), 1;
        usleep(20000); /* the reader catches up, as between publishes */
    }
    double wall = now_ms() - t0 - rounds * 20.0;
    getrusage(RUSAGE_SELF, &r1);
    double cpu_us = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec -
                             r0.ru_stime.tv_sec) * 1e6 +
                    (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec -
                             r0.ru_stime.tv_usec);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    int st;
    waitpid(reader, &st, 0);
    printf("floor_cpu_us_per_frame=%.2f floor_ms_per_round=%.2f\n", cpu_us / ((double)n * rounds),
           wall / rounds);
    return 0;
}
