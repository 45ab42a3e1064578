"""Quantity normalization on real sentences from PolNeAR train (expected values checked by hand).

Each case: the sentence and every quantity the extractor must find in it, as (text, low, high, unit) and,
for open bounds, (low_exclusive, high_exclusive). Conventions: "about/some/roughly" = +-10%; "nearly/
almost" = [0.9x, x); "more than" = (x, none]; "several" = 2..9; "thousands" = 2,000..9,999;
percentages are in percent, "percent of <noun>" when the text says of whom.
"""

from __future__ import annotations

import pytest

from reportedly.extract.quantities import extract_quantities, normalize

CASES = [
    ('As police copters hovered overhead and emergency vehicles whizzed by with sirens blaring, David Seacord '
     'parked his bike at Washington and Broad Streets, just ahead of a few hundred protesters making their way '
     'south toward FDR park.',
     [('a few hundred', 200, 500, 'protesters')]),
    ('Millions of new jobs created, wages go up.',
     [('Millions', 2000000, 9999999, 'jobs')]),
    ("Flush with millions of dollars in donations on the heels of New Hampshire, he's also matching Clinton on "
     'television ads.',
     [('millions', 2000000, 9999999, 'dollars')]),
    ('But he laid off more than 200 staffers and began talking about what will happen "if we do not win."',
     [('more than 200', 200.0, None, 'staffers', True, False)]),
    ('“Furthermore, Trump offered to appear at the debate upon the condition that FOX News contribute $5 '
     'million to his charities.',
     [('$5 million', 5000000.0, 5000000.0, 'USD')]),
    ('As for Trump, since the Republican National Convention ended last month, he and running mate Mike Pence '
     'have been to 10 of the counties identified by POLITICO as among the most critical for winning the '
     'election.',
     [('10', 10.0, 10.0, 'counties')]),
    ('The anti-tax group Club for Growth was one of his biggest supporters, spending more than $5.5 million on '
     'the Senate race, the bulk of it attacking Dewhurst, according to the Center for Responsive Politics.',
     [('more than $5.5 million', 5500000.0, None, 'USD', True, False)]),
    ('Washington has accused China of hacking computers at a range of federal agencies in recent years, '
     'including the theft of more than 21 million background check records from the federal Office of '
     'Personnel Management beginning in 2014.',
     [('more than 21 million', 21000000.0, None, 'records', True, False)]),
    ("The Rhodium Group, an economic consulting firm, has calculated that Mr. Obama's plans may reduce "
     'emissions only 23 percent or so.',
     [('only 23 percent or so', 20.7, 25.3, 'percent')]),
    ('DES MOINES, Iowa — One scathing newspaper editorial is worth a thousand of a candidate’s own words.',
     [('a thousand', 1000, 1000, 'words')]),
    ('For all the criticism of his approach to the Islamic State, several supposed alternatives are things '
     'that have already been tried: airstrikes, arming the opposition, Special Forces, social-media propaganda.',
     [('several', 2, 9, 'alternatives')]),
    ('Standing in the midst of a vast arena in downtown Washington, Donald Trump stared into the two small '
     'screens before him and read the words he had come to deliver to a skeptical audience at the American '
     "Israel Public Affairs Committee's annual meeting.",
     [('two', 2.0, 2.0, 'screens')]),
    ('The alternative is about $1.1 trillion in costs for Medicare, Medicaid and caretakers in 2050.',
     [('about $1.1 trillion', 990000000000.0, 1210000000000.0, 'USD')]),
    ('As proof, she pointed to attacks on her campaign funded by two hedge fund billionaires.',
     [('two', 2.0, 2.0, 'billionaires')]),
    ('Two past elections, over a century apart, suggest both the immediate challenges the GOP faces and the '
     'internal questions it must resolve.',
     [('Two', 2.0, 2.0, 'elections')]),
    ('"There were a total of 24 arrests in Cleveland," Republican National Committee spokesman Sean Spicer '
     'told me.',
     [('a total of 24', 24.0, 24.0, 'arrests')]),
    ('On Tuesday, Sanders went further, endorsing eight state legislative candidates “who embody the spirit of '
     'our political revolution.”',
     [('eight', 8.0, 8.0, 'candidates')]),
    ('Within the next six weeks, only one is likely to survive.',
     [('only one', 1.0, 1.0, None)]),
    ('The decision to give paid speeches forces the three Republican candidates to navigate a complex set of '
     'rules that, in many ways, requires them and their audiences to suspend reality.',
     [('three', 3.0, 3.0, 'candidates')]),
    ('Polls show that voters have a better opinion of Mr. Clinton than of either Mrs. Clinton or of Mr. Trump, '
     'with 56 percent of registered voters viewing him positively, according to a CNN/ORC poll in February.',
     [('56 percent', 56.0, 56.0, 'percent of voters')]),
    ('More than 100,000 Rohingya Muslims reside in displacement camps where they have been since sectarian '
     'clashes with their Buddhist neighbors in 2012, with scant access to food, health care and education.',
     [('More than 100,000', 100000.0, None, 'Muslims', True, False)]),
    ('Cruz also earned the backing of two of the state’s congressional Republicans, Reid Ribble and Glenn '
     'Grothman, as he sought to bolster his case that he is the only viable alternative to Trump as the '
     'party’s nominee.',
     [('two', 2.0, 2.0, 'Republicans')]),
    ('You can’t not make this deal’…\xa0Another one is going to call, Mr. President, they gave you $2 million.',
     [('$2 million', 2000000.0, 2000000.0, 'USD')]),
    ("The dozen emails sent to Powell and to Rice's aides were among 19 the inspector general submitted for "
     'intelligence review.',
     [('19', 19.0, 19.0, None)]),
    ('Her best showing is 10 percent in Vermont, home to   Sen. Bernie Sanders, the runner-up for the '
     'Democratic nomination.',
     [('10 percent', 10.0, 10.0, 'percent')]),
    ('"When you have less than 20 percent in your polling with Hispanics, how much worse could it get?" said '
     'Florida-based Republican strategist Al Cardenas, referring to Trump.',
     [('less than 20 percent', None, 20.0, 'percent', False, True)]),
    ("In 1991, after a decade's struggle, three rebel groups - the Tigrayan People's Liberation Front, the "
     "Oromo Liberation Front and the Eritrean People's Liberation Front - defeated the Derg and marched into "
     'Addis Ababa.',
     [('three', 3.0, 3.0, 'groups')]),
    ('More than two dozen other governors have taken a similar stance, and Republican presidential '
     'front-runner Donald Trump called for a temporary ban on admitting Muslims to the USA because of concerns '
     'that terrorists might slip into the country.',
     [('More than two dozen', 24.0, None, 'governors', True, False)]),
    ('During the peak of the wars in Iraq and Afghanistan, nearly 13,000 Special Operations forces were '
     'deployed on missions across the globe, but a large majority was assigned to those two countries.',
     [('nearly 13,000', 11700.0, 13000.0, 'forces', False, True), ('two', 2.0, 2.0, 'countries')]),
    ('"Several surveys and direct feedback suggest a second look is occurring for Jeb in New Hampshire. ...',
     [('Several', 2, 9, 'surveys')]),
    ('His campaign chairman Paul Manafort said — on Twitter, as it happens — that Trump raised about $4 '
     'million that day.',
     [('about $4 million', 3600000.0, 4400000.0, 'USD')]),
    ('Sanders said he just barely trailed Clinton with 94 percent of precincts reporting.',
     [('94 percent', 94.0, 94.0, 'percent of precincts')]),
    ('U.S. District Judge Emmet G. Sullivan of Washington this spring permitted Judicial Watch to depose seven '
     'current and former Clinton and State Department aides about the email setup.',
     [('seven', 7.0, 7.0, None)]),
    ('Obama’s rise may have been more surprising to the black community than to anyone else, said several '
     'observers.',
     [('several', 2, 9, 'observers')]),
    ("He won the district with 35 percent of the vote, so he will get two of the district's votes in the first "
     'round of balloting at the convention, and Rubio will get the other.',
     [('35 percent', 35.0, 35.0, 'percent of vote'), ('two', 2.0, 2.0, 'votes')]),
    ('Clinton’s support fell by that same margin down to 48 percent, which is the first time since '
     'mid-February that her support level was below 50 percent.',
     [('48 percent', 48.0, 48.0, 'percent'), ('50 percent', 50.0, 50.0, 'percent')]),
    ('“I think the best alternative to Donald Trump to stop him from getting to 1,237 is Ted Cruz, and I’m '
     'going to help Ted in every way I can,” Graham told CNN.',
     [('1,237', 1237.0, 1237.0, None)]),
    ('Editor’s note: Donald Trump is a\xa0serial liar,\xa0rampant '
     'xenophobe,\xa0racist,\xa0misogynist,\xa0birther\xa0and\xa0bully\xa0who has repeatedly pledged to ban all '
     'Muslims — 1.6 billion members of an entire religion — from entering the U.S.',
     [('1.6 billion', 1600000000.0, 1600000000.0, 'members')]),
    ('Sanders is only trailing by two points in the polls against Clinton, and within the margin of error, '
     'Sanders has a real chance of upsetting the party favorite (as evidenced by superdelegtes) in Clinton.',
     [('two', 2.0, 2.0, 'points')]),
    ('The head of the Service Employees International Union is worried about what Donald Trump is stirring up '
     'in her 2.1 million members, because she thinks he can win.',
     [('2.1 million', 2100000.0, 2100000.0, 'members')]),
    ('Last week, Clinton uploaded a picture to her Twitter account after the deaths of Alton Sterling and '
     'Philando Castile; it was retweeted over 25,000 times.',
     [('over 25,000', 25000.0, None, 'times', True, False)]),
    ("Smith spoke at last month's Republican National Convention in Cleveland and delivered a critique of "
     "Hillary Clinton's handling of Benghazi, where four Americans lost their lives.",
     [('four', 4.0, 4.0, 'Americans')]),
    ('And they also discovered thousands of work-related messages her lawyers failed to turn over, he said.',
     [('thousands', 2000, 9999, 'messages')]),
    ('Clinton’s victory in Tuesday’s New York primary was also achieved through the support of\xa0women (61 '
     'percent), nonwhite voters (67 percent) and Democrats looking for an experienced candidate (90 percent), '
     'according to CNN.',
     [('61 percent', 61.0, 61.0, 'percent'), ('67 percent', 67.0, 67.0, 'percent'),
      ('90 percent', 90.0, 90.0, 'percent')]),
    ("Only two Democrats currently back Sen. Bob Corker's legislation.",
     [('Only two', 2.0, 2.0, 'Democrats')]),
    ('He has zero foreign policy experience,” he said.',
     [('zero', 0.0, 0.0, 'experience')]),
    ('It now seems inevitable that Mr. Rubio and Mr. Cruz will direct their fire and their campaign dollars '
     'against Mr. Trump as never before, as they desperately try to halt his momentum by March 1, when 12 '
     'states and territories hold primaries.',
     [('12', 12.0, 12.0, 'states')]),
    ('We presently have almost 300,000 job openings.',
     [('almost 300,000', 270000.0, 300000.0, 'openings', False, True)]),
    ('The overwhelming majority of economic gains under Obama have gone to the top 1 percent, but at least the '
     'unemployment rate is back under control.',
     [('1 percent', 1.0, 1.0, 'percent')]),
    ('In the Democratic race, Mrs. Clinton was set to win roughly 30 more delegates than Mr. Sanders, out of '
     '247 at stake.',
     [('roughly 30', 27.0, 33.0, 'delegates'), ('247', 247.0, 247.0, None)]),
    ('He wrote only one amendment - after he had to withdraw a proposal to create a Medicare-for-all-type '
     'single-payer system.',
     [('only one', 1.0, 1.0, 'amendment')]),
    ("The stakes were made higher by missteps and missed opportunities during the convention's first three "
     'nights, putting pressure on the nominee to convince the general electorate that he has a credible and '
     "appealing vision for the nation's future.",
     [('three', 3.0, 3.0, 'nights')]),
    ("Her critics cited it as evidence that she couldn't have cared less how four Americans died.",
     [('four', 4.0, 4.0, 'Americans')]),
    ('Through the end of September, O’Malley had raised $3.2 million and had about $800,000 in his campaign '
     'account.',
     [('$3.2 million', 3200000.0, 3200000.0, 'USD'), ('about $800,000', 720000.0, 880000.0, 'USD')]),
    ('The worst of the rhetoric that circulates at Trump events can be divided into two general categories, '
     'Sexton said.\xa0',
     [('two', 2.0, 2.0, 'categories')]),
    ('Among the ties between the two men: Their daughters went to school together.',
     [('two', 2.0, 2.0, 'men')]),
    ('About 58 percent of American companies with 1,000 or more employees fund maternity leave at full or '
     'partial compensation, according to a 2014 Labor Department study.',
     [('About 58 percent', 52.2, 63.8, 'percent of companies'), ('1,000 or more', 1000.0, None, 'employees')]),
    ('And whose state has joined 16 others in a lawsuit against Mr. Obama for what they say is his '
     'unconstitutional executive order on illegal immigration?”',
     [('16', 16.0, 16.0, 'others')]),
    ('According to the Associated Press, 571 of the 714 Democratic superdelegates — a group made up of '
     'influential party leaders — supported Clinton, with less than 100 still uncommitted.',
     [('571', 571.0, 571.0, 'superdelegates'), ('714', 714.0, 714.0, 'superdelegates'),
      ('less than 100', None, 100.0, None, False, True)]),
    ('Pershing Square now has a 9 percent stake, after selling some of its shares at the end of the year, '
     "making it the company's second-largest shareholder.",
     [('9 percent', 9.0, 9.0, 'percent')]),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_quantities_in_polnear_sentences(nlp, sentence, expected):
    doc = nlp(sentence)
    got = [(q.text, q.low, q.high, q.unit) + ((q.low_exclusive, q.high_exclusive)
                                              if q.low_exclusive or q.high_exclusive else ())
           for q in extract_quantities(doc)]
    assert got == [tuple(x) for x in expected]
    for q in extract_quantities(doc):
        assert sentence[q.spans[0][0]:q.spans[0][1]] == q.text


def test_enough_real_sentences():
    assert len(CASES) >= 40


def test_seed_quantities(nlp):
    sent = ('"Several hundred" Russian soldiers have reportedly switched sides and are now joining Kyiv\'s '
            'resistance of President Vladimir Putin\'s invasion of Ukraine, according to the Ministry of Defence '
            'of Ukraine.')
    (q,) = extract_quantities(nlp(sent))
    assert (q.text, q.low, q.high, q.unit) == ("Several hundred", 200, 900, "soldiers")
    sent = ("More than 1,000 protesters were reportedly arrested during anti-war protests throughout Russia, "
            "BNO News reported.")
    (q,) = extract_quantities(nlp(sent))
    assert (q.low, q.high, q.low_exclusive, q.unit) == (1000, None, True, "protesters")


@pytest.mark.parametrize("text,low,high,lex,hex_", [
    ("dozens", 24, 99, False, False),
    ("at least 12", 12, None, False, False),
    ("nearly half", 45.0, 50.0, False, True),
    ("tens of thousands", 20_000, 99_999, False, False),
    ("between 10 and 20", 10, 20, False, False),
    ("2 to 3 million", 2_000_000, 3_000_000, False, False),
    ("fewer than 10", None, 10, False, True),
    ("up to 30", None, 30, False, False),
    ("a majority", 50.0, 100.0, True, False),
    ("1,000 or more", 1000, None, False, False),
])
def test_normalize_forms(text, low, high, lex, hex_):
    r = normalize(text)
    assert r is not None
    assert (r.low, r.high, r.low_exclusive, r.high_exclusive) == (low, high, lex, hex_)


@pytest.mark.parametrize("sentence", [
    "He was elected in 2016 and took office on January 20.",   # years and dates are not counts
    "The tweet was posted at 9:30 a.m.",                        # clock time
    "One of them said the vote would be close.",                # "one of": a pronoun
])
def test_not_quantities(nlp, sentence):
    assert extract_quantities(nlp(sentence)) == []
