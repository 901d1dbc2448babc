#!/usr/bin/perl
# rss-probe.pl CMD [ARGS...]: runs CMD (stdin, stdout, stderr and the environment passed through), reaps it
# with wait4(2) and prints "rss-probe: maxrss_kb=N utime_us=N stime_us=N" on stderr; exits with CMD's status.
#
# Why not getrusage() in the .NET harness: a child's ru_maxrss includes the RSS of the memory image it
# replaced at exec (Linux records the old mm's high-water mark in signal->maxrss). A child forked or
# vforked by a 30 MB .NET process therefore "peaks" at 30 MB even when it is /bin/true. Forked from this
# small perl process (perl-base is Essential on Debian/Ubuntu), the floor is perl's ~1-2 MB; /bin/true
# shows it.
use strict;
use warnings;
use Config;
use POSIX ();

my %wait4 = (x86_64 => 61, aarch64 => 260);
my ($arch) = $Config{archname} =~ /^([^-]+)/;
my $nr = $wait4{$arch} // die "rss-probe: no wait4 syscall number for $Config{archname}\n";
@ARGV or die "usage: rss-probe.pl CMD [ARGS...]\n";

my $pid = fork() // die "rss-probe: fork: $!\n";
if ($pid == 0) {
  exec { $ARGV[0] } @ARGV or do { print STDERR "rss-probe: exec $ARGV[0]: $!\n"; POSIX::_exit(127); };
}
my $status = pack('i', 0);
my $rusage = "\0" x 256;                     # struct rusage: 2 timevals + 14 longs = 144 bytes on LP64
my $r;
do { $r = syscall($nr, $pid + 0, $status, 0, $rusage) } while ($r == -1 && $!{EINTR});
die "rss-probe: wait4: $!\n" if $r == -1;
my @ru = unpack('l!18', $rusage);
my $st = unpack('i', $status);
printf STDERR "rss-probe: maxrss_kb=%d utime_us=%d stime_us=%d\n",
  $ru[4], $ru[0] * 1_000_000 + $ru[1], $ru[2] * 1_000_000 + $ru[3];
exit(($st & 127) ? 128 + ($st & 127) : ($st >> 8));
