#!/usr/bin/env python3
"""Write deterministic English-like prose for the ingest benchmark.

Usage: gen_text.py OUT_FILE MEGABYTES [SEED]

Random bytes would be the wrong input: kgas normalises text, splits it into
sentences and tokens, and (soon) runs NER over capitalised names, so the
benchmark text has sentences, paragraphs, punctuation, numbers and a few
thousand recurring people, places and organisations.  A fixed seed makes the
file identical from run to run and machine to machine (Python's Mersenne
Twister with an integer seed is stable across versions).
"""
import random
import sys

FIRST = """Ada Alan Anna Arthur Beatrice Carl Clara Daniel Edith Emil Emma Felix
Grace Hannah Henry Ida Isaac Jane John Julia Karl Laura Leo Lucy Marie Martin
Mary Nora Oscar Paul Rosa Samuel Sofia Thomas Victor Walter Wilhelm Yuki Zoe
Amir Chen Dmitri Fatima Hiroshi Ingrid Kwame Lars Mei Nikolai Priya Ravi""".split()
LAST = """Abbott Bauer Becker Carter Dalton Ellis Fischer Garcia Hartmann Hughes
Ivanova Jansen Keller Lambert Lindqvist Meyer Moreau Nakamura Novak Okafor
Olsen Patel Quinn Richter Rossi Schmidt Silva Tanaka Turner Vogel Wagner Weber
Whitfield Yamamoto Zimmermann Kowalski Haddad Mendez Brennan Sato""".split()
PLACE = """Berlin Lisbon Kyoto Nairobi Oslo Vienna Boston Chicago Dublin Geneva
Lyon Madrid Milan Munich Prague Quebec Seoul Sydney Toronto Utrecht Valencia
Warsaw Zurich Cambridge Edinburgh Heidelberg Leiden Uppsala Bologna Padua""".split()
ORG_HEAD = """Royal National Imperial Northern Central Western Eastern Southern
United Federal Institute""".split()
ORG_TAIL = """Society Academy Institute Laboratory Observatory Museum Company
Council University Foundation Library Archive""".split()
ADJ = """early late careful detailed brief long modest famous obscure strange
quiet bitter generous patient curious remarkable ambitious reluctant steady
accurate uncertain surprising difficult simple elegant""".split()
NOUN = """letter report theory experiment method survey essay lecture journey
treaty discovery manuscript instrument collection measurement argument proof
estimate catalogue dispute friendship marriage inheritance expedition map""".split()
VERB = """wrote published revised defended criticised described translated
rejected presented funded reviewed discovered completed abandoned studied
praised questioned copied annotated delivered""".split()
LINK = """however meanwhile later afterwards nevertheless indeed eventually
consequently""".split()


def person(r):
    return r.choice(FIRST) + " " + r.choice(LAST)


def org(r):
    return "the " + r.choice(ORG_HEAD) + " " + r.choice(ORG_TAIL) + " of " + r.choice(PLACE)


def sentence(r):
    k = r.randrange(8)
    if k == 0:
        return f"{person(r)} {r.choice(VERB)} a {r.choice(ADJ)} {r.choice(NOUN)} in {r.choice(PLACE)} in {r.randrange(1700, 2021)}."
    if k == 1:
        return f"In {r.choice(PLACE)}, {person(r)} met {person(r)}, who worked for {org(r)}."
    if k == 2:
        return f"The {r.choice(NOUN)} was {r.choice(VERB)} by {person(r)} and later by {person(r)}."
    if k == 3:
        return f"{r.choice(LINK).capitalize()}, {r.choice(LAST)} {r.choice(VERB)} the {r.choice(ADJ)} {r.choice(NOUN)} of {org(r)}."
    if k == 4:
        return f"{person(r)} was born in {r.choice(PLACE)} and died in {r.choice(PLACE)} at the age of {r.randrange(20, 99)}."
    if k == 5:
        return f"According to {person(r)}, the {r.choice(NOUN)} \"{r.choice(ADJ)} and {r.choice(ADJ)}\" had cost {r.randrange(2, 900)} pounds."
    if k == 6:
        return f"T{org(r)[1:]} {r.choice(VERB)} {r.randrange(2, 40)} {r.choice(NOUN)}s between {r.randrange(1800, 1900)} and {r.randrange(1900, 2000)}."
    return f"Was the {r.choice(NOUN)} of {person(r)} {r.choice(ADJ)}? {person(r)} thought so."


def main():
    out, mb = sys.argv[1], float(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20240601
    r = random.Random(seed)
    target = int(mb * 1024 * 1024)
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        while written < target:
            para = " ".join(sentence(r) for _ in range(r.randrange(3, 12))) + "\n\n"
            f.write(para)
            written += len(para.encode("utf-8"))


if __name__ == "__main__":
    main()
