/*
 * Binds the two libm symbols that would otherwise raise the binary's glibc floor to 2.29 to their
 * older versions, so that the plugin runs on nodes with glibc >= 2.17 (RHEL 8: 2.28, Amazon Linux 2: 2.26).
 *
 * glibc 2.29 added new default versions log@@GLIBC_2.29 and pow@@GLIBC_2.29 (the "new" implementations
 * without the SVID error-handling wrapper); the old log@GLIBC_2.2.5 / pow@GLIBC_2.2.5 are still exported
 * by every later libm and, since glibc 2.27 dropped _LIB_VERSION for new links, return the same values
 * and set errno the same way (POSIX mode). The runtime calls log/pow for Math.Log/Math.Pow (the GC's
 * tuning and the managed code); the link runs with -Wl,--wrap=log,--wrap=pow (OvsMirror.csproj), so every
 * such reference lands here and goes on to the old version. GNU as ".symver" on an undefined name binds
 * the reference to that exact version (binutils manual, "Symbol Versioning"; glibc's own compat scheme).
 *
 * Compiled only for the sysroot (release) link: hack/build.sh, OvsMirror.csproj target GlibcCompat.
 */
double ovs_mirror_log_glibc_2_2_5(double x);
double ovs_mirror_pow_glibc_2_2_5(double x, double y);
__asm__(".symver ovs_mirror_log_glibc_2_2_5, log@GLIBC_2.2.5");
__asm__(".symver ovs_mirror_pow_glibc_2_2_5, pow@GLIBC_2.2.5");

double __wrap_log(double x);
double __wrap_pow(double x, double y);

double __wrap_log(double x) { return ovs_mirror_log_glibc_2_2_5(x); }
double __wrap_pow(double x, double y) { return ovs_mirror_pow_glibc_2_2_5(x, y); }
