# SPDX-License-Identifier: GPL-2.0-only
# Parse a TAP stream with TAP::Parser (the module prove uses) and fail on any
# line it does not recognise, on parse errors, or when the YAML block does
# not decode to the expected keys.  prove itself ignores unknown lines, so
# this is the strict half of unit/tap_prove_parse.
#   perl tap_strict.pl /path/to/tap_sample
use strict;
use warnings;
use TAP::Parser;

my $p = TAP::Parser->new({ exec => [ $ARGV[0] ] });
my ($bad, $yaml_ok, $tests) = (0, 0, 0);
while (my $r = $p->next) {
    if ($r->is_unknown) {
        print "unknown TAP line: ", $r->as_string, "\n";
        $bad++;
    }
    $tests++ if $r->is_test;
    if ($r->is_yaml) {
        my $d = $r->data;
        $yaml_ok = 1 if ref $d eq 'HASH' && $d->{check} eq 'max_gap'
            && $d->{details} =~ /^tid 2 stuck 4500ms.*\nsee: --- stats --- # tid 2\n\z/s
            && $d->{note} eq 'quoted "value": with # and \\';
    }
}
for my $e ($p->parse_errors) { print "parse error: $e\n"; $bad++ }
print "version ", $p->version, ", tests $tests, yaml ", ($yaml_ok ? "ok" : "BAD"), "\n";
$bad++ unless $yaml_ok && $tests == 6 && $p->version == 13
    && $p->skipped == 1 && $p->todo == 1 && scalar($p->failed) == 1;
exit($bad ? 1 : 0);
