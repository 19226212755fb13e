/* cpu.h - the machine's physical CPU cores, as Prisma counts them for its
 * default pool size (num_cpus' physical count: distinct cores, not
 * hyper-threads).
 */
#ifndef OPSDECK_UTIL_CPU_H
#define OPSDECK_UTIL_CPU_H

/* The number of distinct ("physical id", "core id") pairs in the text of
 * /proc/cpuinfo; 0 when it names no core (some virtual machines and
 * architectures leave the fields out). Pure. */
int cpu_count_physical(const char *cpuinfo);

/* Physical cores from /proc/cpuinfo; when it cannot be read or names no
 * core, the online processors (sysconf); at least 1. */
int cpu_physical_cores(void);

#endif
