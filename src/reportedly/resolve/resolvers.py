"""The source-resolution policy: an ordered table of named resolvers (``RESOLVERS`` at the end of this module).

Each resolver is a small function (mention, context) -> Verdict | None; the first verdict wins, so the table
reads top to bottom as the policy: the cue's own speaker, transcript labels, pronouns, relatives, then
descriptions tied to a name, groups, names inside the span, outlets and organisations, definite
descriptions, unknown proper names, and at last an unnamed role whose kind comes from ``UNNAMED_KINDS``.
The verdict names the resolver and its evidence; ``reportedly analyze --explain`` shows both.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from reportedly.lexicon import doc_ents, doc_text, ents_between, words
from reportedly.resolve.coref import (
    in_same_quote,
    nominal_target,
    of_a_named,
    person_at,
    previous_sentence_person,
    pronoun_target,
)
from reportedly.resolve.engine import Context, Kind, Mention, Rule, Verdict, run
from reportedly.resolve.kinds import (
    OUTLET_SUFFIX,
    REPORT_LEMMAS,
    add_titles,
    ent_span,
    govt_name,
    headline_case,
    outlet_for,
    reporting_context,
    title_words,
    titled_kind,
)
from reportedly.resolve.names import (
    CHANNEL_NOUNS,
    FINDING_CUES,
    OUTLET_CUES,
    RELATIVE,
    affiliation_in,
    along_with,
    appositive_affiliation,
    appositive_titles,
    author_of,
    cue_speaker,
    ents_in,
    group_entity,
    group_of_people,
    implicit_author,
    included_kind,
    interviewee,
    last_subject,
    outlet_spans,
    person_group,
    register_name,
    role_lexicon,
    source_parts,
    strip_det,
    subject_group,
    title_run,
    titled_conj,
)
from reportedly.resolve.registry import (
    PERSON_KINDS,
    PERSON_NOUNS,
    PRONOUNS,
    Ent,
    Registry,
    clean_name,
    gender_of,
    lex,
    span_head,
    state_names,
)
from reportedly.resolve.voices import article_author, interviewer_of, transcript_speaker


def decided(entity: Ent | None, evidence: str) -> Verdict:
    """A verdict; ``engine.run`` stamps it with the name of the resolver that returned it."""
    return Verdict(entity, "", evidence)


def _quote(x: Span | Token | str) -> str:
    return f"“{x if isinstance(x, str) else x.text}”"


def _again(ctx: Context, s: int, e: int) -> Verdict | None:
    """Resolve a part of the span (the speaker a cue names, the noun a relative hangs on) one level deeper."""
    return resolve_verdict(ctx.deeper(), s, e)


def _taken(m: Mention, ctx: Context, v: Verdict | None, evidence: str, named_only: bool = False) -> Verdict | None:
    """The entity of an inner verdict, now also mentioned by the whole span; its explanation nests."""
    if v is None or v.entity is None or (named_only and not v.entity.named):
        return None
    ctx.reg.add_mention(v.entity, m.bounds)
    return decided(v.entity, f"{evidence} -> {v.resolver}: {v.evidence}")


def _mentioned(m: Mention, ctx: Context, ent: Ent | None, evidence: str) -> Verdict | None:
    if ent is None:
        return None
    ctx.reg.add_mention(ent, m.bounds)
    return decided(ent, evidence)


# --- the cue, transcripts, pronouns -------------------------------------------------------------------------

def cue_names_speaker(m: Mention, ctx: Context) -> Verdict | None:
    """The span is the cue itself ("said" in "said Mulgrew", "According to" in "According to Woodward"):
    the speaker is the one the cue names."""
    speaker = cue_speaker(m.core) if ctx.can_recurse else None
    if speaker is None:
        return None
    doc = m.doc
    sp_name = ent_span(speaker)
    lo, hi = (sp_name.start, sp_name.end) if sp_name is not None else (speaker.left_edge.i, speaker.i + 1)
    inner = _again(ctx, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))
    return _taken(m, ctx, inner, f"the cue names {_quote(doc[lo:hi])}")


def qa_transcript(m: Mention, ctx: Context) -> Verdict | None:
    """"Q:" / "A:" in a question-and-answer transcript: the interviewer (the article's author or outlet)
    and the person interviewed."""
    if len(m.core) != 1 or m.core[0].text not in ("Q", "A"):
        return None
    label = m.core[0].text
    qa = interviewee(ctx.reg, "i" if label == "A" else "you", m.s)
    if qa is not None and label == "Q":
        qa = interviewer_of(ctx.reg, m.s)
    return _mentioned(m, ctx, qa, f"{_quote(label)} line of a Q&A transcript")


def transcript_label(m: Mention, ctx: Context) -> Verdict | None:
    """"TAPPER:" / "SANDERS:" speaker labels of a broadcast transcript."""
    ent = transcript_speaker(ctx.reg, m.core, m.bounds)
    return None if ent is None else decided(ent, f"speaker label {_quote(m.core)}")


def _it_subject(m: Mention, ctx: Context, word: str) -> Ent | None:
    """"The video ... It shows": a document, medium or body that is the last subject speaks."""
    if word not in ("it", "its") or not ctx.can_recurse:
        return None
    subj = last_subject(m.doc, m.core[0])
    if subj is None or subj.pos_ != "NOUN" or subj.tag_ != "NN":
        return None
    lemma = subj.lemma_.lower()
    if not (lemma in lex("document_heads") or lemma in CHANNEL_NOUNS
            or lemma in lex("government_heads") | lex("organisation_heads")):
        return None
    v = _again(ctx, subj.left_edge.idx, subj.idx + len(subj))
    return v.entity if v is not None else None


def _deictic(m: Mention, ctx: Context, word: str) -> Ent | None:
    """"I" / "you": the person interviewed, else (for "I") the article's author."""
    ctx.reg.deictic.add(m.s)
    t = interviewee(ctx.reg, word, m.s)
    if t is None and word in ("i", "my"):
        t = article_author(ctx.reg, m.s)
    return t


def _pronoun_antecedent(m: Mention, ctx: Context, word: str) -> tuple[Ent | None, str]:
    """The entity a pronoun refers to and how it was found (the order is the policy for pronouns)."""
    t = _it_subject(m, ctx, word)
    how = "the last subject noun before it"
    if word in ("they", "their", "them") and ctx.can_recurse:
        t, how = subject_group(ctx.reg, m.doc, m.core[0]), "the group that is the subject"
    if word in ("i", "my", "you", "your"):
        t, how = _deictic(m, ctx, word), "the interviewee or the article's author"
    if t is None and PRONOUNS[word] in ("m", "f"):
        t = _bound_subject(ctx, m.core[0]) or previous_sentence_person(ctx.reg, m.core[0])
        how = "the person the clause binds it to, or the person of the sentence before"
    if t is None:
        t, how = pronoun_target(ctx.reg, word, m.s, ctx.sources_seen), "the last fitting entity"
    if t is None and word in ("it", "its", "they", "their"):
        t, how = _antecedent_np(ctx, m.core[0]), "the nearest subject noun phrase before it"
    return t, how


def pronoun(m: Mention, ctx: Context) -> Verdict | None:
    """A pronoun (possessives included: "its post") refers back; with no antecedent it is anonymous."""
    word = m.single
    if word is None or word not in PRONOUNS:
        return None
    t, how = _pronoun_antecedent(m, ctx, word)
    if t is None:
        ent = ctx.reg.new(m.core.text, "anonymous", m.bounds, named=False, heads={word},
                          plural=word in ("they", "them", "we"))
        return decided(ent, f"pronoun {_quote(m.core)} with no antecedent")
    ctx.reg.add_mention(t, m.bounds)
    pg = PRONOUNS[word]
    if pg in ("m", "f") and (t.kind in PERSON_KINDS or t.kind == "anonymous") and gender_of(t, m.doc) is None:
        t.gender = pg  # "the host said ... he wanted to know": the host is a man, no antecedent for "she"
    return decided(t, f"pronoun {_quote(m.core)}: {how}")


def _relative_noun(rel: Token) -> tuple[Token, Token] | None:
    """The first and last noun a relative clause speaks for ("Fox News and the Drudge Report, which")."""
    verb = rel.head
    noun = verb.head if verb.dep_ in ("relcl", "acl") else None
    if noun is None or noun.i >= rel.i or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    last = noun
    while noun.dep_ == "conj" and noun.pos_ == "PROPN" and noun.head.pos_ == "PROPN" and noun.head.i < noun.i \
            and not any(c.dep_ in ("relcl", "acl") for c in noun.head.children):
        # the clause hangs on the last name but speaks for both (not "Hale, who ..., and Keller, who ...")
        noun = noun.head
    conjs = [c for c in noun.children if c.dep_ == "conj" and c.i < rel.i]
    conjs += [d for c in conjs for d in c.children if d.dep_ == "conj" and d.i < rel.i]
    if conjs and noun.pos_ == "PROPN" and all(c.pos_ == "PROPN" for c in conjs):
        last = max([last, *conjs], key=lambda c: c.i)  # "China and the United States, which": both
    return noun, last


def relative_pronoun(m: Mention, ctx: Context) -> Verdict | None:
    """A relative pronoun speaks for the noun its clause hangs on ("Reuters, which reported ...")."""
    word = m.single
    if word is None or word not in RELATIVE or not ctx.can_recurse:
        return None
    nouns = _relative_noun(m.core[0])
    if nouns is not None:
        noun, last = nouns
        lo = noun.left_edge
        v = _taken(m, ctx, _again(ctx, lo.idx, last.idx + len(last)),
                   f"relative {_quote(m.core)} hangs on {_quote(m.doc[lo.i:last.i + 1])}")
        if v is not None:
            return v
    ent = ctx.reg.new(m.core.text, "anonymous", m.bounds, named=False, heads={word})
    return decided(ent, f"relative {_quote(m.core)} with no noun to speak for")


# --- descriptions tied to a name ----------------------------------------------------------------------------

def _name_before_comma(m: Mention, last: Token) -> tuple[Span, str] | None:
    """The name (and its label) ending right before the comma of "X, a policy institute"."""
    doc = m.doc
    named = [(x, x.label_) for x in doc_ents(doc) if x.label_ in ("ORG", "PERSON") and x.end == last.i + 1]
    if not named and last.pos_ == "PROPN" and last.ent_type_ == "" and not headline_case(last):
        lo = last.i  # a name the tagger missed: the capitalised words before the comma
        while lo > 0 and lo > last.i - 5 and doc[lo - 1].text[:1].isupper() and not doc[lo - 1].is_sent_start:
            lo -= 1
        named = [(doc[lo:last.i + 1], "ORG")]
    return named[0] if named else None


def indefinite_apposition(m: Mention, ctx: Context) -> Verdict | None:
    """"Our Principles PAC, a Super PAC aimed at ...": an indefinite description right after a name and a
    comma is that name."""
    doc, span, head = m.doc, m.span, m.head
    if not (m.first in ("a", "an") and span.start >= 2 and doc[span.start - 1].text == "," and ctx.can_recurse
            and m.lemma in PERSON_NOUNS | role_lexicon() | lex("organisation_heads") | lex("outlet_heads")):
        return None
    last = doc[span.start - 2]
    if head.dep_ == "appos" and head.head.i == last.i and last.pos_ == "PROPN":
        v = _taken(m, ctx, _again(ctx, last.left_edge.idx, last.idx + len(last)),
                   f"in apposition to {_quote(last)}", named_only=True)
        if v is not None:
            return v
    named = _name_before_comma(m, last)
    if named is None:
        return None
    nsp, label = named
    ent = register_name(ctx.reg, nsp, label, (nsp.start_char, nsp.end_char))
    return _mentioned(m, ctx, ent, f"description right after the name {_quote(nsp)}")


def _owner_name(m: Mention, ctx: Context) -> str:
    """Whose organisation "X's campaign" / "the X administration" / "Her campaign" is, or ""."""
    head, span = m.head, m.span
    owners = [c for c in head.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"
              and span.start <= c.i < span.end and c.ent_type_ in ("PERSON", "")]
    whose = any(c.lower_ == "whose" for c in head.children) and head.head.dep_ == "relcl" and \
        head.head.head.pos_ == "PROPN" and head.head.head.ent_type_ in ("PERSON", "ORG")
    if whose:
        owners = [head.head.head]  # "Keller, whose campaign has been locked in talks": his campaign
    pron = [c for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her") and c.i >= span.start]
    if not owners and pron and m.lemma == "campaign":
        # "Her campaign also announced": the campaign of the person "her" is
        who = pronoun_target(ctx.reg, pron[0].lower_, m.s, ctx.sources_seen)
        if who is not None and who.named and who.kind in PERSON_KINDS and not who.plural:
            return who.name.split()[-1]
    if owners and (whose or any(c.ent_type_ == "PERSON" for c in owners)):
        ow = owners[0]
        return clean_name(m.doc[ow.left_edge.i:ow.i + 1].text)
    return ""


def owned_organisation(m: Mention, ctx: Context) -> Verdict | None:
    """"Mary Hale's campaign", "the Keller administration": the organisation, not the person."""
    hl = m.lemma
    if not (m.head.pos_ == "NOUN" and (hl in lex("organisation_heads") or hl in lex("government_heads"))
            and hl not in lex("anonymous_heads") and hl not in lex("document_heads")):
        return None
    owner = _owner_name(m, ctx)
    if not owner:
        return None
    name = f"{owner} {m.head.text.lower()}"
    kind = Kind.GOVERNMENT if hl in ("administration", "government", "cabinet") else Kind.ORGANISATION
    prev = next((e for e in ctx.reg.ents if e.name.lower() == name.lower()
                 or (e.kind == kind and not e.named and hl in e.heads
                     and owner.split()[-1].lower() in e.name.lower())), None)
    evidence = f"{_quote(m.head)} owned by {_quote(owner)}"
    if prev is not None:
        ctx.reg.add_mention(prev, m.bounds)
        return decided(prev, evidence + " (seen before)")
    return decided(ctx.reg.new(name, kind.value, m.bounds, heads={hl, m.head.lower_}), evidence)


def outlet_person(m: Mention, ctx: Context) -> Verdict | None:
    """"Fox News' Megyn Kelly": a named person of an outlet is its journalist."""
    doc, head, span, reg = m.doc, m.head, m.span, ctx.reg
    if head.pos_ != "PROPN" or head.ent_type_ == "ORG":
        return None
    poss = [c for c in head.children if c.dep_ == "poss" and span.start <= c.i < head.i]
    if not poss:
        return None
    pspan = doc[poss[0].left_edge.i:poss[0].i + 1]
    po = outlet_for(clean_name(pspan.text), reg, True)
    if po is None:
        return None
    outlet_ent = reg.find_outlet(po) or reg.new(po.name, "outlet", (pspan.start_char, pspan.end_char), outlet=po)
    name_span = doc[poss[0].i + 1:head.i + 1]
    while len(name_span) and (name_span[0].is_punct or name_span[0].tag_ == "POS"):
        name_span = name_span[1:]
    ent = register_name(reg, name_span, "PERSON", m.bounds) if len(name_span) else None
    if ent is None:
        return None
    if ent.kind == "person":
        ent.kind = "journalist"
    ent.affiliation = ent.affiliation or outlet_ent.id
    return decided(ent, f"{_quote(name_span)} of the outlet {_quote(pspan)}")


def name_with_role(m: Mention, ctx: Context) -> Verdict | None:
    """"Jean-Paul Brandt, the foreign minister of France": a name with a role in apposition is a person."""
    doc, head, span = m.doc, m.head, m.span
    if head.pos_ != "PROPN" or ents_in(doc, m.s, m.e, {"PERSON"}) or head.lower_ in (
            lex("organisation_heads") | lex("government_heads") | {"pac", "inc", "llc"}):  # not "X PAC, a ..."
        return None
    app = appositive_titles(m.core) | appositive_titles(doc[max(head.left_edge.i, span.start):head.i + 1])
    roles = app.words & (lex("official_titles") | lex("journalist_titles") | lex("person_roles"))
    if not roles:
        return None
    hs = doc[head.left_edge.i if head.left_edge.i >= span.start else span.start:head.i + 1]
    ent = register_name(ctx.reg, hs, "PERSON", m.bounds)
    if ent is None:
        return None
    add_titles(ent, app)
    ent.kind = titled_kind(ent) or "person"
    return decided(ent, f"{_quote(hs)} with the role {', '.join(sorted(roles))} in apposition")


def channel_author(m: Mention, ctx: Context) -> Verdict | None:
    """"the ministry's post", "a New York Times report", "a new report by Politico": the author speaks."""
    head, span = m.head, m.span
    if not ((m.lemma in CHANNEL_NOUNS or m.lemma in lex("document_heads") or m.low_head in lex("document_heads"))
            and ctx.can_recurse and head.text.islower()):
        return None
    author = author_of(head, span)
    if author is None and m.lemma in CHANNEL_NOUNS and m.first in ("a", "an", "another"):
        # "the ministry said ..., following up with a separate post claiming": the speaker just before
        sent = head.sent
        prior = [ent for ps, pe, ent in ctx.reg.spoken if sent.start_char <= ps and pe <= m.s]
        if prior:
            ctx.reg.add_mention(prior[-1], m.bounds)
            return decided(prior[-1], f"{_quote(head)} of the speaker just before in the sentence")
        author = implicit_author(head)
    if author is None:
        return None
    return _taken(m, ctx, _again(ctx, *author), f"{_quote(head)} by {_quote(doc_text(m.doc)[author[0]:author[1]])}")


def named_group(m: Mention, ctx: Context) -> Verdict | None:
    """"Mr. Keller and Mr. Diaz", "X, along with Y", "Britain and France": named people (or bodies)
    speaking together are one plural group."""
    group = person_group(ctx.reg, m.doc, m.span, m.head) or along_with(ctx.reg, m.doc, m.span, m.head) or (
        _conj_group(ctx, m.span, m.head) if ctx.can_recurse else None)
    return _mentioned(m, ctx, group, "names joined by “and” / “along with”")


# --- names inside the span ----------------------------------------------------------------------------------

def _compound_not_owner(p: Span, head: Token, span: Span, hlemma: str) -> bool:
    """"The Kazakh government", "Hale aides": a compound name before a body or a plural role is not the
    speaker."""
    return p.root.dep_ == "compound" and head.pos_ == "NOUN" and (hlemma in lex("government_heads") or (
        (head.tag_ == "NNS" or span[0].lower_ in ("a", "an", "one", "another"))
        and hlemma in PERSON_NOUNS | role_lexicon() | lex("anonymous_heads")))


def _role_then_name(m: Mention) -> list[Span]:
    """"An environmental protester of the armed occupation, Kieran Suckling": one role, then its holder's
    name after a comma at the end of the span (not "her opponents, Sen. X and Gov. Y": a group)."""
    doc, head = m.doc, m.head
    if not (head.pos_ == "NOUN" and head.tag_ == "NN" and m.lemma not in (
            CHANNEL_NOUNS | lex("document_heads") | lex("organisation_heads") | lex("government_heads"))):
        return []
    tail = [p for p in ents_in(doc, m.s, m.e, {"PERSON"}) if p.start > head.i and p.end >= m.core.end
            and doc[p.start - 1].text == "," and p.start - 1 >= m.span.start]
    if tail and not any(t.lower_ in ("and", "or", "&") or t.ent_type_ == "PERSON"
                        for t in doc[head.i:tail[0].start]):
        return tail
    return []


def persons_in(m: Mention) -> list[Span]:
    """The person names in the span that name the speaker (computed once per mention)."""
    cached: list[Span] | None = m.__dict__.get("_persons")
    if cached is not None:
        return cached
    head, span = m.head, m.span
    persons = [p for p in ents_in(m.doc, m.s, m.e, {"PERSON"})
               if p.start <= head.i < p.end or (p.root.dep_ in ("appos", "compound", "flat")
                                                and p.root.head.i == head.i
                                                and not _compound_not_owner(p, head, span, m.lemma))
               or titled_conj(p, head, span) or title_run(p, span)]
    persons = persons or _role_then_name(m)
    m.__dict__["_persons"] = persons
    return persons


def person_in_span(m: Mention, ctx: Context) -> Verdict | None:
    """A person's name inside the span wins over an organisation ("NBC News correspondent Lena Novak")."""
    persons = persons_in(m)
    if not persons:
        return None
    pe = persons[-1]
    reg = ctx.reg
    ent = register_name(reg, pe, "PERSON", (pe.start_char, pe.end_char))
    if ent is None:
        return None
    pre = m.doc[m.span.start:pe.start]
    add_titles(ent, title_words(pre))
    ent.kind = titled_kind(ent) or ent.kind
    if ent.kind == "journalist" and ent.affiliation is None:
        ent.affiliation = affiliation_in(reg, pre) or appositive_affiliation(reg, pe)
    reg.add_mention(ent, m.bounds)
    titles = f" titled {_quote(pre)}" if len(pre) else ""
    return decided(ent, f"the person's name {_quote(pe)}{titles}")


def outlet_in_span(m: Mention, ctx: Context) -> Verdict | None:
    """An outlet's name (``data/outlets.json``) covering most of the span; ambiguous names ("Politico" vs
    "politico") only in a reporting context ("X reported", "told X")."""
    reg, doc, core = ctx.reg, m.doc, m.core
    for s, e, form in outlet_spans(doc, m.s):
        if e > m.e:
            break
        tok_span = doc.char_span(s, e, alignment_mode="expand")
        in_ctx = ctx.recipient or ctx.a.cue.lemma in REPORT_LEMMAS or (
            tok_span is not None and len(tok_span) > 0 and reporting_context(span_head(tok_span)))
        o = outlet_for(form, reg, in_ctx)
        if o is not None and (e - s) >= 0.4 * len(clean_name(core.text)):
            ent = reg.find_outlet(o) or reg.new(o.name, "outlet", (s, e), outlet=o,
                                                heads={w.lower() for w in o.name.split()})
            reg.add_mention(ent, m.bounds)
            return decided(ent, f"the outlet name {_quote(doc_text(doc)[s:e])}")
    return None


def _orgs(m: Mention) -> list[Span]:
    """ORG/GPE names in the span, not "Republicans on Capitol Hill" (a place a plural hangs on)."""
    head = m.head
    return [o for o in ents_in(m.doc, m.s, m.e, {"ORG", "GPE"}) if not (
        o.root.dep_ == "pobj" and o.root.head.dep_ == "prep" and o.root.head.head.i == head.i
        and not (o.start <= head.i < o.end) and head.tag_ in ("NNS", "NNPS"))]


def owned_name(m: Mention, ctx: Context) -> Verdict | None:
    """"China's state-owned investment giant CITIC": the name the phrase ends on, not its owner."""
    orgs, head, doc = _orgs(m), m.head, m.doc
    if not (orgs and head.pos_ == "PROPN"
            and all(o.root.dep_ == "poss" and not (o.start <= head.i < o.end) for o in orgs)):
        return None
    lo = head.i
    while lo - 1 >= m.span.start and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ in ("compound", "flat"):
        lo -= 1
    ent = register_name(ctx.reg, doc[lo:head.i + 1], "ORG", m.bounds)
    return None if ent is None else decided(ent, f"the name {_quote(doc[lo:head.i + 1])} after its owner")


def _role_head(m: Mention) -> bool:
    """"The Florida senator" is a person, not Florida; "the State Department's inspector general" stays with
    the department."""
    return m.head.pos_ == "NOUN" and m.lemma in lex("official_titles") | lex("person_roles") | lex(
        "journalist_titles") and not any(c.dep_ == "poss" for c in m.head.children)


def organisation_in_span(m: Mention, ctx: Context) -> Verdict | None:
    """An organisation's or place's name heading the span (or most of it): that body."""
    orgs, head = _orgs(m), m.head
    named_head = head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "GPE") or any(
        c.dep_ == "appos" and c.ent_type_ == "ORG" and m.span.start <= c.i < m.span.end for c in head.children)
    if not orgs or not (named_head or len(orgs[-1]) >= len(m.core) * 0.5) or _role_head(m):
        return None
    org = max(orgs, key=lambda o: (o.root.dep_ != "poss", len(o)))  # CITIC, not China's
    ent = register_name(ctx.reg, org, org.label_, (org.start_char, org.end_char))
    if ent is None:
        return None
    if ent.kind == "organisation" and OUTLET_SUFFIX.search(ent.name) and (
            ctx.recipient or ctx.a.cue.lemma in OUTLET_CUES):
        ent.kind = "outlet"
    ctx.reg.add_mention(ent, m.bounds)
    return decided(ent, f"the {org.label_} name {_quote(org)}")



def counted_group(m: Mention, ctx: Context) -> Verdict | None:
    """"the two men", "both countries", "the senators": a group of names given just before."""
    plural = _plural_target(ctx, m.span, m.head, m.s) if ctx.can_recurse else None
    return _mentioned(m, ctx, plural, f"{_quote(m.span)} counts names given just before")


def definite_description(m: Mention, ctx: Context) -> Verdict | None:
    """"the ministry", "the Post", "the senator", "the source": back to an entity already mentioned (not
    "his attorney": that is somebody else)."""
    if m.first not in ("the", "this", "that"):
        return None
    t = nominal_target(ctx.reg, m.head, m.core, m.s)
    if t is None:
        return None
    ctx.reg.add_mention(t, m.bounds)
    if t.named and t.kind in PERSON_KINDS:  # "the Vermont senator": what the article calls him
        add_titles(t, title_words(m.core))
        t.kind = titled_kind(t) or t.kind
    return decided(t, f"definite {_quote(m.core)} refers back to {_quote(t.name)}")


def unknown_name(m: Mention, ctx: Context) -> Verdict | None:
    """An unknown proper name ("Kurier reported"); a titled role in a headline ("Retired General") is none."""
    head = m.head
    titles = title_words(m.core).words
    if head.pos_ != "PROPN" or persons_in(m) or titles & (
            lex("official_titles") | lex("person_roles") | lex("journalist_titles")) or head.ent_type_ == "NORP":
        return None
    name = clean_name(m.core.text)
    ent = register_name(ctx.reg, m.core, "ORG", m.bounds)
    if ent is not None and ent.kind == "organisation" and (ctx.recipient or ctx.a.cue.lemma in OUTLET_CUES) \
            and OUTLET_SUFFIX.search(name) and not govt_name(name):
        ent.kind = "outlet"
    return decided(ent, f"an untagged proper name {_quote(m.core)}")


def apposition_to_name(m: Mention, ctx: Context) -> Verdict | None:
    """"Our Principles PAC, a group set up to ...": a description in apposition to a name is that name."""
    head = m.head
    if not (head.dep_ == "appos" and head.head.i < m.span.start and ctx.can_recurse and (
            head.head.ent_type_ in ("ORG", "PERSON", "GPE") or head.head.pos_ == "PROPN")):
        return None
    nh = head.head
    return _taken(m, ctx, _again(ctx, nh.left_edge.idx, nh.idx + len(nh)), f"in apposition to {_quote(nh)}",
                  named_only=True)


def bare_surname(m: Mention, ctx: Context) -> Verdict | None:
    """A bare surname the tagger missed ("Hale blamed Keller"): the person of that name."""
    core = m.core
    if not (len(core) == 1 and core[0].is_title and core[0].pos_ in ("PROPN", "NOUN", "VERB", "ADJ")
            and not core[0].is_sent_start):
        return None
    known = ctx.reg.find_person(core[0].lower_, None)
    return _mentioned(m, ctx, known, f"the surname {_quote(core)} of a person named before")


def role_with_name(m: Mention, ctx: Context) -> Verdict | None:
    """"his wife, Laura, ...": a role noun with a name in apposition is that named person."""
    head, span = m.head, m.span
    names = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and span.start <= c.i < span.end]
    if not names or m.lemma not in PERSON_NOUNS | lex("person_roles") | {"wife", "husband", "son", "daughter"}:
        return None
    nm = names[0]
    nspan = m.doc[nm.left_edge.i:nm.i + 1]
    ent = register_name(ctx.reg, nspan, "PERSON", m.bounds)
    return None if ent is None else decided(ent, f"{_quote(head)} named {_quote(nspan)}")


def social_handle(m: Mention, ctx: Context) -> Verdict | None:
    """"@handle": an account is a person."""
    handle = next((t.text for t in m.core if t.text.startswith("@") and len(t.text) > 1), None)
    if handle is None:
        return None
    return decided(ctx.reg.new(handle, "person", m.bounds, heads={m.lemma, m.head.lower_}),
                   f"the account {_quote(handle)}")


def body_of_named(m: Mention, ctx: Context) -> Verdict | None:
    """"a committee of the Senate": an organisation's part speaks for the named body."""
    head = m.head
    if m.lemma not in lex("organisation_heads") | {"panel", "subcommittee"} or not ctx.can_recurse:
        return None
    of = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
          if g.dep_ == "pobj" and g.ent_type_ in ("ORG", "GPE")]
    if not of:
        return None
    g = of[0]
    return _taken(m, ctx, _again(ctx, g.left_edge.idx, g.right_edge.idx + len(g.right_edge)),
                  f"{_quote(head)} of {_quote(g)}")


# --- groups that resolve their members again ----------------------------------------------------------

def _deeper_entity(ctx: Context, s: int, e: int) -> Ent | None:
    v = _again(ctx, s, e)
    return v.entity if v is not None else None

def _conj_group(ctx: Context, span: Span, head: Token) -> Ent | None:
    """"Britain and France", "CNN and MSNBC", "Maine Sen. Mary Hale and Texas Rep. Tom Keller", "Both
    Ana Diaz and Paul Brandt": names joined by "and" (the parser's conjuncts) speak as one plural source
    when each conjunct is a name of its own; of the members' shared kind, else person (all people) or
    organisation (all bodies). A person joined with a body is left alone."""
    reg, doc = ctx.reg, ctx.doc
    if head.pos_ != "PROPN":
        return None
    conjs = [head]
    for c in head.subtree:
        if c.dep_ == "conj" and c.head in conjs and span.start <= c.i < span.end:
            conjs.append(c)
    if len(conjs) < 2 or not all(c.pos_ == "PROPN" for c in conjs):
        return None
    if any(t.dep_ == "cc" and t.lower_ not in ("and", "&") for t in head.subtree if span.start <= t.i < span.end):
        return None  # "Hale or Keller"
    members: list[Ent] = []
    for k, c in enumerate(conjs):
        if k == 0:
            lo = next((t.i for t in doc[span.start:head.i + 1] if t.lower_ not in ("both", "the", "and", ",")
                       and not t.is_punct), head.i)
        else:
            lo = c.left_edge.i
            while lo < c.i and (doc[lo].lower_ in ("and", "&", "the") or doc[lo].is_punct):
                lo += 1
        m = _deeper_entity(ctx, doc[lo].idx, c.idx + len(c))
        if m is None or not m.named or m.plural or m in members:
            return None
        members.append(m)
    people = [m.kind in PERSON_KINDS for m in members]
    if any(people) and not all(people):
        return None
    group = group_entity(reg, members, span)
    if not all(people) and group.kind == "person":
        group.kind = "organisation"
    return group


_COUNTS = {"two": 2, "three": 3, "both": 2}


def _plural_target(ctx: Context, span: Span, head: Token, pos: int) -> Ent | None:
    """"Adler and Brandt ... The two voters", "Mr. Keller and Mr. Diaz ... the senators", "Britain and
    France ... both countries": a definite plural description with a count (or a strong title) is the group of
    names joined by "and" just before (a group already speaking, else one in this sentence or the one before)."""
    reg, doc = ctx.reg, ctx.doc
    if head.tag_ != "NNS" or head.pos_ != "NOUN":
        return None
    first = span[0].lower_
    hl = head.lemma_.lower()
    n = next((_COUNTS[t.lower_] for t in span if t.i < head.i and t.lower_ in _COUNTS), None)
    titled = first == "the" and hl in lex("official_titles") - lex("weak_titles")
    if first not in ("the", "both") or not (n or titled):
        return None
    govish = hl in lex("government_group_heads")
    personish = hl in (role_lexicon() | lex("anonymous_heads") | PERSON_NOUNS | {
        "man", "woman", "friend", "parent", "couple", "brother", "sister"}) - lex("document_heads")
    if not (govish or personish):
        return None

    def fits(e: Ent) -> bool:
        size = len(e.name.split(" and "))
        if hl in lex("person_roles") | lex("journalist_titles") and hl not in e.titles:
            return False  # "both candidates" are not two voters named before
        if titled and n is None and e.kind != "official":
            return False  # "the senators": a group of officials
        return (n is None or size == n) and (
            e.kind == "government" if govish else e.kind in PERSON_KINDS)

    found = _group_before(reg, pos, fits)
    sent = head.sent
    lo = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    if found is None:
        found = _conj_group_before(ctx, doc[lo:span.start], span, fits)
    if found is None and n == 2 and not any(t.dep_ == "cc" for t in span):  # not "both experts and investigators"
        roled = hl in lex("person_roles") | lex("journalist_titles") | lex("official_titles")
        found = _two_named(ctx, span, doc[lo].idx, govish,
                           lambda e: not roled or hl in e.titles or (titled and e.kind == "official"))
    if found is not None and hl in lex("official_titles") - lex("weak_titles"):
        found.kind = "official"  # "The two lawmakers": the article calls them lawmakers
    return found


def _group_before(reg: Registry, pos: int, fits: Callable[[Ent], bool]) -> Ent | None:
    """A named group ("X and Y") already registered within 1,500 characters before ``pos`` that fits."""
    for e in reg.before(pos):
        if e.last() < pos - 1500:
            break
        if e.named and e.plural and " and " in e.name and fits(e):
            return e
    return None


def _conj_group_before(ctx: Context, window: Span, span: Span, fits: Callable[[Ent], bool]) -> Ent | None:
    """The last names joined by "and" in ``window`` (this sentence and the one before), as a group that fits."""
    doc = ctx.doc
    for t in reversed(window):
        if t.pos_ != "PROPN" or t.dep_ == "conj":
            continue
        conjs = [c for c in t.children if c.dep_ == "conj" and c.pos_ == "PROPN" and c.i < span.start]
        if not conjs:
            continue
        last = max(conjs, key=lambda c: c.i)
        g = _conj_group(ctx, doc[t.left_edge.i:last.i + 1], t)
        return g if g is not None and fits(g) else None
    return None

def _two_named(ctx: Context, span: Span, lo: int, govish: bool, fits: Callable[[Ent], bool]) -> Ent | None:
    """"Diaz ... Hale ... The two men", "Mexico ... the United States ... the two countries": when this
    sentence (up to the description) and the one before name exactly two people (or two countries), the
    counted description is those two."""
    reg, doc = ctx.reg, ctx.doc
    members: list[Ent] = []
    if govish:
        for x in ents_between(doc, lo, span.start_char):
            if x.label_ == "GPE" and ctx.can_recurse and not any(clean_name(x.text) == m.name for m in members) \
                    and x.text.lower() not in set(state_names()) | {"washington", "d.c."}:  # states are no countries
                e = _deeper_entity(ctx, x.start_char, x.end_char)
                if e is not None and e.kind == "government" and e not in members:
                    members.append(e)
    else:
        members = [e for e in reg.ents if e.kind in PERSON_KINDS and e.named and not e.plural
                   and any(lo <= ms < span.start_char for ms, _ in e.mentions)]
        members.sort(key=lambda e: min(ms for ms, _ in e.mentions if ms >= lo))
    return group_entity(reg, members, span) if len(members) == 2 and all(fits(m) for m in members) else None


def _antecedent_np(ctx: Context, pron: Token) -> Ent | None:
    """"It shows ...": the nearest preceding subject noun phrase, when it is not a named entity."""
    doc = ctx.doc
    sent = pron.sent
    prev_sents = [sent]
    if sent.start > 0:
        prev_sents.insert(0, doc[sent.start - 1].sent)
    cands = [t for ps in prev_sents for t in ps if t.i < pron.i and t.dep_ in ("nsubj", "nsubjpass")
             and t.pos_ in ("NOUN", "PROPN")]
    if not cands:
        return None
    t = cands[-1]
    s, e = t.left_edge.idx, t.idx + len(t)
    if not ctx.can_recurse:
        return None
    return _deeper_entity(ctx, s, e)


# a noun's sex where the noun tells it ("the mother", "the husband"); data/word_lists.json
_GENDERED = {**dict.fromkeys(words("word_lists", "female_nouns"), "f"),
             **dict.fromkeys(words("word_lists", "male_nouns"), "m")}


def _bound_subject(ctx: Context, pron: Token) -> Ent | None:
    """"A 29-year-old Berlin woman received probation after she had posted ...": "he"/"she" inside a clause
    whose governing verb has a person as its subject, before the pronoun, is that subject (binding beats
    recency: the last speaker of the paragraph is somebody else). Unnamed subjects ("a woman", "the
    governor") are resolved as mentions of their own."""
    reg, doc = ctx.reg, ctx.doc
    g = PRONOUNS[pron.lower_]
    cur = pron
    for _ in range(8):
        if cur.head is cur or cur.dep_ in ("relcl", "acl"):
            return None  # "Hale would have a path to nomination, which he declared ...": not across a relative
        cur = cur.head
        for c in cur.children:
            if c.dep_ not in ("nsubj", "nsubjpass") or c.i >= pron.i or c.left_edge.i <= pron.i <= c.right_edge.i:
                continue
            if not in_same_quote(reg, c.idx, pron.idx) or "\n" in doc_text(doc)[c.idx:pron.idx]:
                return None  # a quote's "he" is not its speaker; nor does a parse across paragraphs bind
            if c.lower_ in PRONOUNS:
                continue  # "he said she ...": that pronoun is resolved on its own
            hit = person_at(reg, c, g)
            if hit is not None:
                return hit
            lemma = c.lemma_.lower()
            if c.pos_ == "NOUN" and c.tag_ == "NN" and ctx.can_recurse and _GENDERED.get(lemma, g) == g and not any(
                    k.dep_ == "poss" for k in c.children) and (  # "his father" is somebody else
                    lemma in PERSON_NOUNS or lemma in _GENDERED or lemma in lex("official_titles")):
                ent = _deeper_entity(ctx, c.left_edge.idx, c.idx + len(c))
                if ent is not None and (ent.kind in PERSON_KINDS or ent.kind == "anonymous") and not ent.plural:
                    return ent
    return None


# --- the last resort: an unnamed source, its kind from a table ----------------------------------------------

class Unnamed:
    """What the kind rules of an unnamed source read ("an angry army of HP workers" reads as a crowd)."""

    def __init__(self, m: Mention, ctx: Context) -> None:
        self.m, self.ctx, self.head = m, ctx, m.head
        crowd = m.lemma == "army" and any(c.dep_ == "prep" and c.lower_ == "of" for c in m.head.children)
        self.lemma = "crowd" if crowd else m.lemma
        self.low = "crowd" if crowd else m.head.lower_
        self.titles = title_words(m.core)
        self.first = m.first


KindRule = tuple[str, Callable[[Unnamed], bool], Kind | None]


def _is_document(u: Unnamed) -> bool:
    docs = lex("document_heads")
    return ((u.lemma in docs or u.low in docs and u.lemma != "figure") and u.lemma not in ("statement",)
            or u.lemma in CHANNEL_NOUNS and u.lemma not in PERSON_NOUNS)  # "a spokesperson" is a person


def _finding_paper(u: Unnamed) -> bool:
    return u.lemma in ("paper", "papers") and (u.ctx.a.cue.lemma in FINDING_CUES or any(
        c.like_num or c.ent_type_ == "DATE" for c in u.head.children))


# Ordered; the first rule that holds gives the kind (None: the journalist rule decides by number).
UNNAMED_KINDS: list[KindRule] = [
    ("government group (“officials”, “lawmakers”)",
     lambda u: u.lemma in lex("government_group_heads") or u.low in lex("government_group_heads"),
     Kind.GOVERNMENT),
    ("one office holder named by the office (“the attorney general of New York”)",
     lambda u: u.first == "the" and u.head.tag_ == "NN" and bool(
         u.titles.words & (lex("official_titles") - lex("weak_titles"))) and of_a_named(u.head), Kind.OFFICIAL),
    ("a study, not a newspaper (“one 2009 paper found”)", _finding_paper, Kind.DOCUMENT),
    ("an outlet's head noun (“the newspaper”)",
     lambda u: u.lemma in lex("outlet_heads") or " ".join(t.lower_ for t in u.m.core[-2:]) in lex(
         "outlet_heads"), Kind.OUTLET),
    ("known people (“the candidates”)",
     lambda u: u.first in ("the", "both") and u.head.tag_ == "NNS" and u.lemma in lex("person_roles"),
     Kind.PERSON),
    ("a document or channel (“FEC records”, “the legislation”)", _is_document, Kind.DOCUMENT),
    ("a thing cited (“the euro crisis”, “history”)",
     lambda u: (u.lemma in lex("thing_heads") or u.low in lex("thing_heads")) and u.head.pos_ == "NOUN",
     Kind.OTHER),
    ("an organisation's head noun (“the group”, not “a group of rabbis”)",
     lambda u: u.lemma in lex("organisation_heads") and u.lemma not in lex("anonymous_heads")
     and not group_of_people(u.head), Kind.ORGANISATION),
    ("a government body (“the ministry”, “authorities”)",
     lambda u: (u.lemma in lex("government_heads") and u.lemma not in lex("anonymous_heads"))
     or u.low == "authorities", Kind.GOVERNMENT),
    ("a journalist's title (“a reporter”; plural: anonymous)",
     lambda u: bool(u.titles.words & lex("journalist_titles"))
     or u.lemma in {"reporter", "correspondent", "journalist"},
     None),
]


def unnamed_kind(u: Unnamed) -> tuple[Kind, str]:
    """The kind of an unnamed source and the rule that gave it: members named by "including" first, then
    the first rule of ``UNNAMED_KINDS`` that holds, else anonymous."""
    m, ctx = u.m, u.ctx
    members = included_kind(ctx.reg, m.doc, m.head, m.span) or included_kind(ctx.reg, m.doc, span_head(m.span), m.span)
    if members is not None:
        return Kind(members), "the named members it includes"
    for name, holds, kind in UNNAMED_KINDS:
        if holds(u):
            return kind or (Kind.JOURNALIST if u.head.tag_ not in ("NNS",) else Kind.ANONYMOUS), name
    return Kind.ANONYMOUS, "an unnamed role"


def unnamed_role(m: Mention, ctx: Context) -> Verdict | None:
    """An unnamed role ("a source", "officials", "a Ukraine interior minister", "the campaign"); "the source"
    again is the same unnamed source as before."""
    u = Unnamed(m, ctx)
    heads = {m.lemma, m.head.lower_}
    kind, why = unnamed_kind(u)
    if m.first in ("the", "this", "that") and kind in (Kind.ANONYMOUS, Kind.DOCUMENT, Kind.OTHER):
        for prev in ctx.reg.before(m.s):
            if not prev.named and (heads & prev.heads):
                ctx.reg.add_mention(prev, m.bounds)
                return decided(prev, f"unnamed {_quote(m.core)} seen before as {_quote(prev.name)}")
    ent = ctx.reg.new(clean_name(m.core.text) or m.core.text, kind.value, m.bounds, named=False, heads=heads,
                      titles=u.titles.words, gov_context=u.titles.gov_context, plural=m.head.tag_ in ("NNS", "NNPS"))
    return decided(ent, f"unnamed {_quote(m.core)}, {kind.value}: {why}")


RESOLVERS: list[Rule] = [
    Rule("cue_names_speaker", cue_names_speaker, "the span is the cue itself (“said X”, “according to X”): X"),
    Rule("qa_transcript", qa_transcript, "“Q:” / “A:” lines: the interviewer and the interviewee"),
    Rule("transcript_label", transcript_label, "“NAME:” speaker labels of a broadcast transcript"),
    Rule("pronoun", pronoun, "he / she / it / they / I / you back to an antecedent, else anonymous"),
    Rule("relative_pronoun", relative_pronoun, "“the agency, which reported”: the noun the clause hangs on"),
    Rule("indefinite_apposition", indefinite_apposition, "“X, a policy institute”: the name before the comma"),
    Rule("owned_organisation", owned_organisation, "“X's campaign”, “the X administration”: the body, not the person"),
    Rule("outlet_person", outlet_person, "“OUTLET's NAME”: the outlet's journalist"),
    Rule("name_with_role", name_with_role, "“NAME, the foreign minister”: a titled person"),
    Rule("channel_author", channel_author, "“the ministry's post”, “a report by OUTLET”: the author"),
    Rule("named_group", named_group, "“X and Y”, “X along with Y”: one plural group"),
    Rule("person_in_span", person_in_span, "a person's name inside the span, titles before it"),
    Rule("outlet_in_span", outlet_in_span, "an outlet's name (data/outlets.json) covering the span"),
    Rule("owned_name", owned_name, "“COUNTRY's state-owned giant NAME”: the name after its owner"),
    Rule("organisation_in_span", organisation_in_span, "an ORG / GPE name heading the span"),
    Rule("counted_group", counted_group, "“the two men”, “both countries”: names given just before"),
    Rule("definite_description", definite_description, "“the ministry”, “the senator”: back to an entity"),
    Rule("unknown_name", unknown_name, "an untagged proper name becomes an organisation (or outlet)"),
    Rule("apposition_to_name", apposition_to_name, "a description in apposition to a name is that name"),
    Rule("bare_surname", bare_surname, "a surname the tagger missed: the person named before"),
    Rule("role_with_name", role_with_name, "“his wife, NAME”: the named person"),
    Rule("social_handle", social_handle, "“@handle”: an account is a person"),
    Rule("body_of_named", body_of_named, "“a committee of the Senate”: the named body"),
    Rule("unnamed_role", unnamed_role, "an unnamed role; its kind from UNNAMED_KINDS"),
]


def resolve_verdict(ctx: Context, s: int, e: int) -> Verdict | None:
    """The verdict on one source (or recipient) span s..e: the first of ``RESOLVERS`` that decides."""
    span = source_parts(ctx.doc, s, e)
    if span is None or not len(span):
        return None
    core = strip_det(span) if len(strip_det(span)) else span
    return run(RESOLVERS, Mention(s, e, span, core), ctx)
