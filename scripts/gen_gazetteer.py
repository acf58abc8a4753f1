#!/usr/bin/env python3
"""gen_gazetteer: compile the NER gazetteer into a C source file at build time.

Reads Debian data (iso-codes JSON, WordNet 3.0 from wordnet-base) plus the
small hand lists below, and writes one C file holding an open-addressing hash
table of (64-bit key hash, 64-bit flag word) pairs.  Keys are lowercased
phrases tokenised exactly as src/ner/ner_scan.c tokenises text; tokens are
joined by a single space before hashing (FNV-1a 64), so the recogniser can
hash a phrase incrementally while it walks tokens.  Flags are the
KG_GZ_* bits of src/ner/gazetteer.h; the two lists MUST stay in step.

Output is deterministic (sorted input, fixed probing) so builds are
reproducible.  Usage: gen_gazetteer.py ISO_DIR WORDNET_DIR OUT.c
"""
import json
import os
import sys

# ---- flag bits: keep in step with src/ner/gazetteer.h ----------------------
F = {name: 1 << i for i, name in enumerate("""
COMMON FUNC COUNTRY SUBDIV CITY LOCNAME NORP LANGUAGE CURRENCY CURCODE
PERSON FIRST LAST ORGNAME EVENTNAME WORKNAME MONTH WEEKDAY TITLE ORGSUF
ORGHEAD LOCHEAD GPEHEAD EVENTHEAD CONCEPTHEAD DATASETHEAD DATASETNAME
LAWHEAD NUMWORD PERSONNOUN ORGNOUN GPENOUN ABBREV PREFIXHEAD NAMEJOIN
PRODUCTNAME LOCPREP DATEWORD PERCENTWORD CONCEPTNAME DOCWORD REFABBREV HOLIDAY
""".split())}

FNV_OFF = 0xcbf29ce484222325
FNV_PRIME = 0x100000001b3
M64 = (1 << 64) - 1


def is_word_byte(c):
    return c >= 0x80 or (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)


def tokenize(s):
    """Byte-level tokeniser mirroring ner_scan.c: word runs may contain
    internal - ' . & when a word byte follows; everything else is a one-byte
    punctuation token; spaces separate."""
    b = s.encode("utf-8")
    toks, i, n = [], 0, len(b)
    while i < n:
        c = b[i]
        if c in b" \t\r\n":
            i += 1
            continue
        if is_word_byte(c):
            j = i + 1
            while j < n:
                if is_word_byte(b[j]):
                    j += 1
                elif b[j] in b"-.&" and j + 1 < n and is_word_byte(b[j + 1]):
                    j += 2
                elif b[j] == 0x2C and 48 <= b[j - 1] <= 57 and j + 1 < n and 48 <= b[j + 1] <= 57:
                    j += 2
                elif b[j] == 0x27 and j + 1 < n and is_word_byte(b[j + 1]) and \
                        not (b[j + 1] in b"sS" and (j + 2 >= n or not is_word_byte(b[j + 2]))):
                    j += 2
                else:
                    break
            toks.append(b[i:j])
            i = j
        elif c == 0x27 and i + 1 < n and b[i + 1] in b"sS" and (i + 2 >= n or not is_word_byte(b[i + 2])):
            toks.append(b[i:i + 2])
            i += 2
        else:
            toks.append(b[i:i + 1])
            i += 1
    return toks


def key_hash(s):
    h = FNV_OFF
    first = True
    for t in tokenize(s):
        if not first:
            h = ((h ^ 0x20) * FNV_PRIME) & M64
        first = False
        for c in t.lower():
            h = ((h ^ c) * FNV_PRIME) & M64
    return h, len(tokenize(s))


# ---- hand lists: small, general vocabulary ---------------------------------
FUNC_WORDS = """a an the this that these those there here it its he she they them
his her their our we us you your i me my mine and or but nor so yet if then
than as at by for from in into of off on onto out over to up upon with within
without about above after against along among around before behind below
beneath beside between beyond during except inside near since through
throughout till toward towards under until via is are was were be been being
am do does did have has had will would shall should can could may might must
not no yes all any both each every few many most other some such only own
same too very just also however although though while when where which who
whom whose what why how because whether once unless meanwhile moreover
furthermore thus therefore hence instead indeed still even later earlier
today yesterday tomorrow tonight one two three four five six seven eight nine
ten several according
i'm i'll i've i'd i’m i’ll i’ve i’d""".split()

TITLES = """mr mrs ms miss dr prof professor sir dame lord lady president
senator governor king queen prince princess duke duchess emperor empress pope
saint st rev reverend father sister brother general gen col colonel captain
capt lt lieutenant sgt sergeant major admiral judge justice chancellor minister
secretary chairman ceo mayor rabbi imam sheikh archbishop bishop cardinal
count countess baron baroness mister madam mme mlle herr""".split()

ORG_SUFFIX = "inc ltd corp co llc plc gmbh ag sa nv bv llp lp pty ab oy".split()

ORG_HEAD = """university universities institute institution college school academy
universiteit universitat universität université universita università universidad
universidade hochschule institut instituto istituto
company corporation corp association society foundation council committee
commission agency department ministry bureau office board authority bank
party club league union federation team band orchestra choir ensemble records
airlines airline airways press publishing publishers studios studio
entertainment pictures films industries holdings systems technologies group
motors laboratories laboratory labs museum library church army navy
police court parliament congress senate government administration service
services network broadcasting news times post journal gazette tribune herald
fc afc united city_fc trust organization organisation center centre hospital
cooperative alliance brigade regiment division battalion corps fleet
conservatory recordings productions electronics software design designs
pharmaceuticals brewery railway railways railroad lottery magazine newspaper
radio television channel""".replace("city_fc", "").split()

LOC_HEAD = """river mountain mountains mount mt lake lakes island islands ocean sea
bay valley desert forest park street road avenue square bridge airport station
hall tower castle palace cathedral peninsula coast canal gulf strait falls
creek hill hills beach harbour harbor glacier plateau plain plains cape
highway stadium arena temple abbey basin reef archipelago mall dock docks gym
gymnasium playfield motorway boulevard building hotel cemetery zoo pier wharf
lighthouse theatre theater cinema prison fort fortress monastery mosque
synagogue chapel shrine plaza pavilion gardens reservoir dam lagoon marsh""".split()

GPE_HEAD = """city county province state republic kingdom empire district prefecture
township village town municipality parish oblast borough emirate principality
commonwealth territory""".split()

EVENT_HEAD = """war wars battle revolution olympics games championship championships
cup festival election elections crisis summit tournament massacre uprising
rebellion expo exposition marathon rally grand_prix""".replace("grand_prix", "").split()

CONCEPT_HEAD = """machine machines network networks model models algorithm algorithms
theorem theory method methods optimization optimisation regression analysis
learning transform transformation process processes distribution test
principle equation equations hypothesis conjecture paradox inference sampling
descent estimation estimator classifier kernel kernels encoder decoder
transformer transformers attention memory filter chain search clustering
embedding embeddings architecture approximation programming calculus
lemma heuristic criterion""".split()

DATASET_HEAD = "treebank corpus dataset datasets benchmark database".split()
DATASET_NAMES = """ImageNet MNIST CIFAR CIFAR-10 CIFAR-100 SQuAD COCO MS_COCO GLUE SuperGLUE
WikiText WikiText-103 Penn_Treebank OntoNotes CoNLL-2003 WordNet SNLI MultiNLI
Fashion-MNIST SVHN LibriSpeech Common_Crawl BookCorpus""".split()
# (An underscore joins the words of one name; add() makes it a space.  Until
# 2026-12-07 the underscores became spaces before the split, so "Penn",
# "Treebank", "MS", "Common" and "Crawl" were each a data set's name.)

LAW_HEAD = """act treaty constitution amendment convention accord accords directive
charter protocol statute""".split()

NUM_WORDS = "hundred thousand million billion trillion bn mn k m".split()
PERSON_NOUNS_EXTRA = """singer guitarist drummer bassist vocalist keyboardist rapper
actor actress director producer writer author poet novelist painter composer
player coach manager striker goalkeeper midfielder defender footballer
cricketer pitcher quarterback politician leader founder scientist
researcher professor economist philosopher historian journalist wife
husband son daughter brother sister father mother uncle aunt cousin
nephew niece friend boxer wrestler""".split()
ORG_NOUNS = """band company firm club team label group party newspaper
magazine airline organization organisation network channel station broadcaster
university college school church agency""".split()
GPE_NOUNS = "city town village state country capital province county nation".split()
ABBREVS = """dr mr mrs ms prof st jr sr inc ltd corp co mt gen col capt lt sgt
rev vs no jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e
etc al""".split()
PREFIX_HEADS = "university bank institute duke college museum republic kingdom " \
    "gulf bay isle cape department ministry school church battle state city " \
    "county province district federation league society academy house " \
    "council commission order union empire sea lake port mount cathedral " \
    "treaty act board office party".split()
# Words that name parts of a document ("Table 2", "Section 3", "Fig."):
# never entities, whatever their capital letter suggests.
DOC_WORDS = """section sections sec secs figure figures fig figs table tables tab
tabs equation equations eq eqs eqn appendix appendices algorithm theorem
theorems thm lemma lemmas corollary proposition prop definition defn remark
proof chapter chap page pages pp step steps example footnote line lines panel
column row rows supplementary volume issue abstract introduction conclusion
conclusions references acknowledgements acknowledgments keywords contents
preface summary discussion bibliography paragraph paragraphs""".split()
# Abbreviations of reference lists and journal names ("Phys. Rev. Lett.",
# "Astrophys. J.", "J. Cosmol.", "Gen. Rel. Grav."): never entities on their
# own.
REF_ABBREVS = """phys astrophys astron proc rev lett conf int trans natl acad sci
soc vol vols nucl math comput appl mech chem biol geophys res ann annu bull
mon not opt eng inst jour symp rep lect notes eds ed arxiv preprint doi ibid
et al j cosmol grav rel gen theor exp stat mol quant mater electron commun
syst anal biophys biochem struct inf softw med physiol psychol sociol econ
ecol geol environ technol manag lab dept jpn chin eur amer brit roy philos
planet sol atmos spectrosc instrum meth""".split()
NAME_JOIN = "de da di van von der den del della la le du dos das bin ibn al el".split()
LOC_PREPS = "in at from near across throughout outside inside into to via".split()
MONTHS = """january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
DATE_WORDS = """year years month months week weeks day days decade decades century
centuries spring summer autumn fall winter quarter""".split()
PERCENT_WORDS = ["percent", "per cent", "percentage points", "pct"]
CURRENCY_EXTRA = """dollar dollars euro euros pound pounds yen yuan rupee rupees
franc francs mark marks peso pesos ruble rubles rouble roubles lira won rand
krona kronor krone shekel dinar dirham real reais cent cents""".split()
CONCEPT_NAMES = """Bayesian_optimization Monte_Carlo Markov_chain gradient_descent
backpropagation dropout""".split()
PRODUCT_NAMES = """iPhone iPad Windows Android Linux Macintosh PlayStation Xbox Python
Java JavaScript""".split()
CONTINENTS = """Europe Asia Africa Antarctica Oceania North_America South_America
Central_America Middle_East Far_East Scandinavia Balkans Caribbean
Latin_America Southeast_Asia Siberia Mediterranean Pacific Atlantic
Arctic""".split()
NORP_EXTRA = """Christian Christians Muslim Muslims Jewish Jews Jew Catholic
Catholics Protestant Protestants Buddhist Buddhists Hindu Hindus Islamic
Democrat Democrats Republican Republicans Communist Communists Socialist
Socialists Conservative Conservatives Liberal Liberals European Europeans
Asian Asians African Africans Arab Arabs Latino Hispanic Sunni Shia Shiite
Orthodox Anglican Baptist Methodist Lutheran Mormon Soviet Nazi Nazis""".split()


class Table:
    def __init__(self):
        self.m = {}   # hash -> flags
        self.maxtok = 1

    def add(self, phrase, flag):
        phrase = phrase.replace("_", " ").strip()
        if not phrase:
            return
        h, nt = key_hash(phrase)
        if nt > 6:
            return
        self.maxtok = max(self.maxtok, nt)
        self.m[h] = self.m.get(h, 0) | flag


# Holidays, feasts and days: the capitalised lemmas of WordNet's noun.time
# (lexicographer file 28) under one of these ("Christmas", "Christmas Eve",
# "Easter", "Michaelmas", "Hanukkah", "Thanksgiving", the weekdays).  Never
# a person, whatever their capital letter suggests.  Words of three letters
# or fewer ("Sun", "Tet", "Th") and a saint's name are left out: as words
# they are more often something else.
HOLIDAY_HEADS = {"holiday", "day", "feast_day", "festival", "season", "time_of_year",
                 "day_of_the_week", "week", "eve", "quarter_day", "fast_day",
                 "religious_holiday", "legal_holiday", "church_festival"}


def holidays(t, syn):
    def ancestors(o, seen):
        for h in syn[o][3]:
            if h in syn and h not in seen:
                seen.add(h)
                ancestors(h, seen)
        return seen
    for off in sorted(syn):
        lex, words = syn[off][0], syn[off][1]
        if lex != 28:
            continue
        if not any(w.lower() in HOLIDAY_HEADS for a in ancestors(off, set()) for w in syn[a][1]):
            continue
        for w in words:
            base = w.split("(")[0]
            saint = base.startswith(("Saint_", "St_"))
            if base[:1].isupper() and (len(base) > 3 or "_" in base) and \
                    (not saint or base.endswith(("Day", "Eve", "Night"))):
                t.add(base, F["HOLIDAY"])


def wordnet(t, wn):
    """Common words, instance nouns by lexicographer file, demonyms.

    COMMON means "a WordNet lemma" (index files are lowercase, so this
    includes names WordNet knows): the rules use it as "in a dictionary";
    name flags (KG_GZ_NAMELIKE) win over it.  Restricting COMMON to words
    WordNet spells in lowercase measured slightly worse on wikigold."""
    common = set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, "index." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                lemma = line.split(" ", 1)[0]
                if "_" not in lemma and lemma.islower():
                    common.add(lemma)
    # Synsets: offset -> (lexfile, words, is_instance, hypernym offsets)
    syn = {}
    with open(os.path.join(wn, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            p = line.split(" | ")[0].split()
            off, lex, wcnt = p[0], int(p[1]), int(p[3], 16)
            words = [p[4 + 2 * k] for k in range(wcnt)]
            k = 4 + 2 * wcnt
            pcnt = int(p[k])
            ptrs = [(p[k + 1 + 4 * q], p[k + 2 + 4 * q]) for q in range(pcnt)]
            inst = [o for s, o in ptrs if s == "@i"]
            hyper = [o for s, o in ptrs if s in ("@", "@i")]
            syn[off] = (lex, words, inst, hyper)
    gpe_heads = {"city", "town", "port", "state_capital", "national_capital",
                 "capital", "country", "state", "provincial_capital",
                 "american_state", "kingdom", "municipality", "village",
                 "county", "province", "borough", "urban_area", "metropolis",
                 "district", "region"}
    for off in sorted(syn):
        lex, words, inst = syn[off][:3]
        if not inst:
            if lex == 18:
                for w in words:
                    base = w.split("(")[0]
                    if base.islower() and "_" not in base:
                        t.add(base, F["PERSONNOUN"])
                    elif base[:1].isupper() and "_" not in base and len(base) > 2:
                        t.add(base, F["NORP"])  # American, Frenchman, Lutheran
            continue
        heads = set()
        for o in inst:
            if o in syn:
                heads.update(w.lower() for w in syn[o][1])
        for w in words:
            base = w.split("(")[0]
            if not base[:1].isupper():
                continue
            if lex == 18:
                t.add(base, F["PERSON"])
                parts = base.split("_")
                if len(parts) >= 2 and parts[0].lower() not in FUNC_WORDS \
                        and len(parts[0]) > 1:
                    t.add(parts[0], F["FIRST"])
                    t.add(parts[-1], F["LAST"])
                else:
                    t.add(base, F["LAST"])
            elif lex in (15, 17):
                t.add(base, F["CITY"] if heads & gpe_heads else F["LOCNAME"])
            elif lex == 14:
                t.add(base, F["ORGNAME"])
            elif lex in (4, 11):
                t.add(base, F["EVENTNAME"])
            elif lex == 10:
                t.add(base, F["WORKNAME"])
    holidays(t, syn)
    # Demonyms: capitalised adjectives that pertain to a location/group noun.
    with open(os.path.join(wn, "data.adj"), encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            p = line.split(" | ")[0].split()
            wcnt = int(p[3], 16)
            words = [p[4 + 2 * k].split("(")[0] for k in range(wcnt)]
            k = 4 + 2 * wcnt
            pcnt = int(p[k])
            for q in range(pcnt):
                sym, o = p[k + 1 + 4 * q], p[k + 2 + 4 * q]
                if sym == "\\" and o in syn and syn[o][0] in (15, 14, 9):
                    for w in words:
                        if w[:1].isupper() and "_" not in w:
                            t.add(w, F["NORP"])
    return common


def iso(t, d, common):
    def load(name, key):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            return json.load(f)[key]
    for c in load("iso_3166-1.json", "3166-1"):
        for k in ("name", "common_name", "official_name"):
            if k in c and "," not in c[k] and "(" not in c[k]:
                t.add(c[k], F["COUNTRY"])
        if "," in c["name"]:   # "Korea, Republic of" -> "Korea"
            t.add(c["name"].split(",")[0], F["COUNTRY"])
    for s in load("iso_3166-2.json", "3166-2"):
        n = s["name"].split("(")[0].split("[")[0].strip()
        if " " in n or n.lower() not in common:
            t.add(n, F["SUBDIV"])
    for c in load("iso_4217.json", "4217"):
        t.add(c["alpha_3"], F["CURCODE"])
        n = c["name"]
        if n.split()[-1].lower() not in ("unit", "fund", "code", "gold", "silver"):
            t.add(n, F["CURRENCY"])
    for lng in load("iso_639-2.json", "639-2"):
        for n in lng["name"].split(";"):
            n = n.strip()
            if n and "," not in n and "(" not in n and " " not in n \
                    and len(n) >= 4 and n.lower() not in FUNC_WORDS + ["undetermined", "multiple"]:
                t.add(n, F["LANGUAGE"])
    # Short forms people write that ISO does not list.
    for n in ("UK", "U.K", "US", "U.S", "USA", "U.S.A", "UAE", "USSR", "Britain",
              "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
              "Soviet Union", "East Germany", "West Germany", "Burma", "Rhodesia"):
        t.add(n, F["COUNTRY"])
    # Countries that were (ISO 3166-3), by the short name before the comma:
    # "Yugoslavia", "Czechoslovakia", "Zaire", "East Timor".
    for c in load("iso_3166-3.json", "3166-3"):
        n = c["name"].split(",")[0].strip()
        if "(" not in n and " and " not in n and not n.lower().startswith(("french ", "british ")):
            t.add(n, F["COUNTRY"])
    # Major languages are also common adjectives ("English"), add them anyway.
    for n in """English French German Spanish Italian Portuguese Russian Chinese
    Japanese Korean Arabic Hindi Latin Greek Dutch Swedish Polish Turkish
    Hebrew Persian Mandarin Cantonese""".split():
        t.add(n, F["LANGUAGE"] | F["NORP"])


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen_gazetteer.py ISO_JSON_DIR WORDNET_DIR OUT.c")
    isodir, wndir, out = sys.argv[1:]
    if not os.path.exists(os.path.join(isodir, "iso_3166-1.json")):
        sys.exit(f"gen_gazetteer: {isodir}/iso_3166-1.json missing: "
                 "install the Debian package 'iso-codes'")
    if not os.path.exists(os.path.join(wndir, "data.noun")):
        sys.exit(f"gen_gazetteer: {wndir}/data.noun missing: "
                 "install the Debian package 'wordnet-base'")
    t = Table()
    common = wordnet(t, wndir)
    for w in sorted(common):
        t.add(w, F["COMMON"])
    iso(t, isodir, common)
    lists = [(FUNC_WORDS, "FUNC"), (FUNC_WORDS, "COMMON"), (TITLES, "TITLE"),
             (ORG_SUFFIX, "ORGSUF"), (ORG_HEAD, "ORGHEAD"), (LOC_HEAD, "LOCHEAD"),
             (GPE_HEAD, "GPEHEAD"), (EVENT_HEAD, "EVENTHEAD"),
             (CONCEPT_HEAD, "CONCEPTHEAD"), (DATASET_HEAD, "DATASETHEAD"),
             (DATASET_NAMES, "DATASETNAME"), (LAW_HEAD, "LAWHEAD"),
             (NUM_WORDS, "NUMWORD"), (PERSON_NOUNS_EXTRA, "PERSONNOUN"),
             (ORG_NOUNS, "ORGNOUN"), (GPE_NOUNS, "GPENOUN"), (ABBREVS, "ABBREV"),
             (PREFIX_HEADS, "PREFIXHEAD"), (NAME_JOIN, "NAMEJOIN"),
             (LOC_PREPS, "LOCPREP"), (MONTHS, "MONTH"), (WEEKDAYS, "WEEKDAY"),
             (DATE_WORDS, "DATEWORD"), (PERCENT_WORDS, "PERCENTWORD"),
             (CURRENCY_EXTRA, "CURRENCY"), (CONCEPT_NAMES, "CONCEPTNAME"),
             (PRODUCT_NAMES, "PRODUCTNAME"), (CONTINENTS, "LOCNAME"),
             (NORP_EXTRA, "NORP"), (DOC_WORDS, "DOCWORD"), (REF_ABBREVS, "REFABBREV")]
    for words, flag in lists:
        for w in words:
            t.add(w, F[flag])

    n = len(t.m)
    size = 1
    while size < n * 2:
        size <<= 1
    keys = [0] * size
    vals = [0] * size
    for h in sorted(t.m):
        i = h & (size - 1)
        while keys[i]:
            i = (i + 1) & (size - 1)
        keys[i] = h
        vals[i] = t.m[h]
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("/* Generated by scripts/gen_gazetteer.py from iso-codes and "
                "WordNet; do not edit. */\n#include <stdint.h>\n#include <stddef.h>\n")
        f.write(f"const size_t kg_gz_gen_size = {size};\n")
        f.write(f"const size_t kg_gz_gen_count = {n};\n")
        f.write(f"const unsigned kg_gz_gen_maxtok = {t.maxtok};\n")
        for name, arr in (("keys", keys), ("vals", vals)):
            f.write(f"const uint64_t kg_gz_gen_{name}[{size}] = {{\n")
            for i in range(0, size, 8):
                f.write(",".join(f"{x:#x}" for x in arr[i:i + 8]) + ",\n")
            f.write("};\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
