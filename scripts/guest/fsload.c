// SPDX-License-Identifier: GPL-2.0
/*
 * fsload - the load of the failslab guest (scripts/guest/memcg-init.sh).
 *
 *   fsload PROBFILE PROB FORKS SECONDS -- COMMAND [ARG]...
 *
 * Writes PROB to PROBFILE (failslab's probability: injection on), runs
 * COMMAND in a process group of its own and waits for it, at most SECONDS
 * (a hackbench whose child died may wait forever), then kills what is
 * left of the group; forks FORKS children that exit at once, and
 * writes 0 to PROBFILE.  A shell gives up when a fork fails; this does not:
 * each failed fork is counted and retried, and so is a command whose exec
 * failed (exit status 127), 1000 tries in all; each failed write of
 * PROBFILE is retried.  Prints one line:
 *   FSLOAD cmd_rc=<rc> cmd_tries=<n> cmd_timed_out=0|1 forks_ok=<n>
 *          forks_failed=<n> on_tries=<n> off_tries=<n>
 * cmd_rc is the command's last exit status, 128+signal if killed, -1 if
 * it never started.  Exit status 0 unless injection could not be turned off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	timed_out = 1;
}

/* Write VAL to PATH, retrying failures; returns the tries or -1. */
static int write_retry(const char *path, const char *val)
{
	int tries;

	for (tries = 1; tries <= 100000; tries++) {
		int fd = open(path, O_WRONLY);
		ssize_t n;

		if (fd < 0)
			continue;
		n = write(fd, val, strlen(val));
		if (close(fd) == 0 && n == (ssize_t)strlen(val))
			return tries;
	}
	return -1;
}

static int status_rc(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

int main(int argc, char **argv)
{
	int forks, i, tries, ok = 0, failed = 0, cmd_rc = -1;
	int on, off, st, secs, killed = 0;
	struct sigaction sa;
	pid_t pid;

	if (argc < 7 || strcmp(argv[5], "--") != 0) {
		fprintf(stderr, "usage: fsload PROBFILE PROB FORKS SECONDS -- COMMAND [ARG]...\n");
		return 2;
	}
	forks = atoi(argv[3]);
	secs = atoi(argv[4]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	on = write_retry(argv[1], argv[2]);
	for (tries = 1; tries <= 1000; tries++) {
		pid = fork();
		if (pid == 0) {
			setpgid(0, 0);
			execvp(argv[6], argv + 6);
			_exit(127);
		}
		if (pid < 0)
			continue;
		setpgid(pid, pid);
		timed_out = 0;
		alarm(secs);
		while (waitpid(pid, &st, 0) < 0) {
			if (errno == EINTR && timed_out && !killed) {
				kill(-pid, SIGKILL);
				killed = 1;
			}
		}
		alarm(0);
		/* the children of a hackbench that died */
		kill(-pid, SIGKILL);
		cmd_rc = status_rc(st);
		if (cmd_rc != 127)
			break;
	}
	for (i = 0; i < forks; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			failed++;
			continue;
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		ok++;
	}
	off = write_retry(argv[1], "0");
	printf("FSLOAD cmd_rc=%d cmd_tries=%d cmd_timed_out=%d", cmd_rc,
	       tries > 1000 ? 1000 : tries, killed);
	printf(" forks_ok=%d forks_failed=%d on_tries=%d off_tries=%d\n",
	       ok, failed, on, off);
	return off < 0;
}
