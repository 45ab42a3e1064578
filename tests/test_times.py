"""Time expressions resolved against the publication date, on real sentences from PolNeAR train.

Each case: sentence, the article's publication date (metadata.tsv; weekday in the comment) and every
expression with the value checked by hand against a calendar. Values: YYYY-MM-DD, YYYY-MM, YYYY,
YYYY-Www (ISO week), YYYY-SU (season), Thh:mm (clock time), None (relative time inside a quote: it is
the speaker's day, not the article's).
"""

from __future__ import annotations

import pytest

from reportedly.extract.times import extract_times, normalize_time

CASES = [
    ('Hillary Clinton was declared the winner in the Pennsylvania, Maryland and Delaware primaries by news '
     'organizations early Tuesday night as she looked to put the Democratic nomination mathematically out of '
     'reach for Sen. Bernie Sanders.',
     '2016-04-27',  # published on a Wed
     [('Tuesday night', '2016-04-26')]),
    ('It lays out a host of actions the Saudi government has taken, by itself or in concert with allies, to '
     'battle extremism; many of the actions followed terrorist attacks in the kingdom in May 2003 and May 2004 '
     'that jolted the country.',
     '2016-05-19',  # published on a Thu
     [('May 2003', '2003-05'), ('May 2004', '2004-05')]),
    ('Obama also addressed Trump’s general concerns\xa0last Thursday, stating state and local authorities – '
     'and not the federal government – are in charge of the election process.',
     '2016-08-08',  # published on a Mon
     [('last Thursday', '2016-08-04')]),
    ('In an NBC News/Wall Street Journal poll released Monday, 50 percent of respondents chose Clinton while '
     '40 percent chose Trump.',
     '2015-12-13',  # published on a Sun
     [('Monday', '2015-12-07')]),
    ("In 2008, Barack Obama's campaign began airing Spanish-language ads in mid-September, a timeline Clinton "
     'could still match this year.',
     '2016-09-04',  # published on a Sun
     [('2008', '2008'), ('September', '2008-09'), ('this year', '2016')]),
    ('Donald Trump is poised to bounce back after his second-place finish in Iowa and win New Hampshire’s '
     'first-in-the-nation primary next week.',
     '2016-02-04',  # published on a Thu
     [('next week', '2016-W06')]),
    ('Republican focus on national security sharpened after the attacks Nov. 13 in Paris, which were claimed '
     'by the Islamic State.',
     '2015-12-07',  # published on a Mon
     [('Nov. 13', '2015-11-13')]),
    ('Caltrans told ABC 7 that someone had reprogrammed the sign, which as of Sunday had been reprogrammed '
     'back.',
     '2015-12-28',  # published on a Mon
     [('Sunday', '2015-12-27')]),
    ('Nearly six months after erupting on Florida Sen. Marco Rubio for going after his attacks on Donald '
     'Trump, Fox News host Sean Hannity indicated Tuesday night that any bad blood from the bruising '
     'Republican primary has largely abated.',
     '2016-08-31',  # published on a Wed
     [('Tuesday night', '2016-08-30')]),
    ("By 2:30 p.m., Thompson was talking public-school policy at the school board group's chocolate-themed "
     'gathering and still had hours more of speeches and receptions ahead.',
     '2016-07-22',  # published on a Fri
     [('2:30 p.m.', 'T14:30')]),
    ('Just three hours later, Obama found himself in the awkward position of addressing Friday’s attack in '
     'Munich.',
     '2016-07-23',  # published on a Sat
     [('Friday', '2016-07-22')]),
    ('But on Sunday he finally gave Clinton a ringing endorsement.',
     '2015-11-29',  # published on a Sun
     [('Sunday', '2015-11-29')]),
    ('WASHINGTON, June 24 (UPI) — Presumptive Democratic presidential nominee Hillary Clinton unveiled her '
     'first Spanish-language campaign ad, featuring Hispanics telling their family stories and criticizing '
     'Donald Trump’s immigration proposals.',
     '2016-06-24',  # published on a Fri
     [('June 24', '2016-06-24')]),
    ("Last week, the insurrection handed Michigan's Democratic primary to Bernie Sanders while continuing to "
     'buoy the insurgent Republican candidacy of Donald Trump.',
     '2016-03-16',  # published on a Wed
     [('Last week', '2016-W10')]),
    ('That\'s one reason the "new" Richard Nixon who ran for president in 1968 turned out to be a lot like the '
     'old Nixon.',
     '2016-06-14',  # published on a Tue
     [('1968', '1968')]),
    ('At the Maine rally, Trump said that Romney begged him for an endorsement in 2012 and "would have dropped '
     'to his knees" if Trump had asked him to do so.',
     '2016-03-04',  # published on a Fri
     [('2012', '2012')]),
    ('“What Ryan did is almost is calling out for that kind of moment,” said Tom Rath, a veteran New Hampshire '
     'GOP leader who had endorsed Kasich and is slated to be a delegate to the Republican National Convention '
     'in July.',
     '2016-05-05',  # published on a Thu
     [('July', '2016-07')]),
    ('Sanders, meanwhile, hopes that winning a large share of the state’s 475 delegates will give him momentum '
     'heading into the party’s Philadelphia convention in July.',
     '2016-05-24',  # published on a Tue
     [('July', '2016-07')]),
    ('But when the Hungarians revolted against their Soviet-dominated regime in 1956, Ike refused to '
     'intervene, and the rebellion was crushed.',
     '2015-12-01',  # published on a Tue
     [('1956', '1956')]),
    ('Donald Trump is on solid ground attacking Bill Clinton, Carly Fiorina said Monday.',
     '2015-12-28',  # published on a Mon
     [('Monday', '2015-12-28')]),
    ('Earlier this year, Klein, author of\xa0Unlikeable: The Problem With Hillary, spoke with Breitbart News '
     'about Clinton.',
     '2016-05-02',  # published on a Mon
     [('Earlier this year', '2016')]),
    ('Knight campaigned with Trump on Wednesday.',
     '2016-04-30',  # published on a Sat
     [('Wednesday', '2016-04-27')]),
    ("The official said the FBI had secured the cooperation of Bryan Pagliano, who worked on Clinton's 2008 "
     'presidential campaign before setting up the server in her New York home in 2009.',
     '2016-03-03',  # published on a Thu
     [('2008', '2008'), ('2009', '2009')]),
    ('“What we have in common is that we’re not insiders, we are not taking part in the ‘system’, we depend on '
     'no one and do not take our orders from any financial institutions,” she told CNN in the interview taped '
     'and released on Wednesday.',
     '2016-08-31',  # published on a Wed
     [('Wednesday', '2016-08-31')]),
    ('Demonstrators picket every political convention, but there is added security concern here because '
     'punches have already been thrown at Trump rallies - including last week in San Jose.',
     '2016-06-07',  # published on a Tue
     [('last week', '2016-W22')]),
    ('The former Heisman Trophy winner, now a guest speaker who travels around the country, endorsed '
     'Republican presidential candidate Donald Trump in 2015.',
     '2016-06-27',  # published on a Mon
     [('2015', '2015')]),
    ('This week numerous analysts piled on to the notion.',
     '2016-06-17',  # published on a Fri
     [('This week', '2016-W24')]),
    ('With about 400 scripted shows airing last year alone, built-in name recognition can offer a crucial edge '
     'with audiences overwhelmed by new choices.',
     '2016-05-17',  # published on a Tue
     [('last year', '2015')]),
    ('Former U.N. Ambassador John Bolton and Breitbart News National Security editor Dr. Sebastian Gorka both '
     'denounced the nascent “Neocons For Hillary” movement in their Breitbart News Daily on SiriusXM '
     'appearances Thursday morning.',
     '2016-05-05',  # published on a Thu
     [('Thursday morning', '2016-05-05')]),
    ('To be fair, the Republican debates this year have drawn larger audiences, in the same way that a crowd '
     'of onlookers will gather to gawk at a car crash.',
     '2015-12-23',  # published on a Wed
     [('this year', '2015')]),
    ('The night of the Benghazi attack on Sept. 11, 2012, there were in fact three permanent security agents '
     'on site, and two that had traveled with Ambassador Chris Stevens.',
     '2016-05-02',  # published on a Mon
     [('Sept. 11, 2012', '2012-09-11')]),
    ('Q: You said yesterday, the middle class is still getting crushed.',
     '2016-02-19',  # published on a Fri
     [('yesterday', '2016-02-18')]),
    ('The Republican presidential candidates debated on Tuesday night, and their Democratic counterparts were '
     'having none of it.',
     '2015-11-11',  # published on a Wed
     [('Tuesday night', '2015-11-10')]),
    ('Her comments are in response to a letter the Sanders campaign sent the DNC on Monday alleging that '
     'Clinton’s fundraising arrangement was inappropriate.',
     '2016-04-20',  # published on a Wed
     [('Monday', '2016-04-18')]),
    ('For all the hatred of immigrants stirred up by Mr. Trump and other Republican hopefuls, most Americans - '
     '63 percent in 2014, according to the National Academies report - still believe immigration is a good '
     'thing.',
     '2015-12-10',  # published on a Thu
     [('2014', '2014')]),
    ("Hillary Clinton, her candidacy on the line, won here in 2008 partly because of Mr. Obama's patronizing "
     "suggestion at a similarly timed debate that she was ''likable enough.''",
     '2016-02-09',  # published on a Tue
     [('2008', '2008')]),
    ('As President Obama faced public criticism over his Oval Office address on terrorism this month, one '
     'lawmaker took a private moment during a holiday party at the White House to reassure the commander in '
     'chief.',
     '2015-12-15',  # published on a Tue
     [('this month', '2015-12')]),
    ('An interfaith rally by the city’s political and religious leaders on Wednesday had one message: "Dump '
     'Trump."',
     '2015-12-11',  # published on a Fri
     [('Wednesday', '2015-12-09')]),
    ('Hannity asked Trump Wednesday if the project was still in Trump’s plans.',
     '2016-08-25',  # published on a Thu
     [('Wednesday', '2016-08-24')]),
    ('Monday at Liberty University in Lynchburg, VA, Republican presidential front-runner Donald Trump '
     'addressed the students of the Christian university in a wide-ranging speech that included Trump vowing '
     'to protect Christianity.',
     '2016-01-18',  # published on a Mon
     [('Monday', '2016-01-18')]),
    ('Patient advocacy groups note that Sanders co-sponsored bans in 2003 and 2005 that included criminal '
     'penalties for conducting the research and opposed alternatives that would have allowed the cloning of '
     'embryos solely for medical research.',
     '2016-04-01',  # published on a Fri
     [('2003', '2003'), ('2005', '2005')]),
    ('Clinton’s rhetoric on the issue was noticeably more conciliatory than that of her campaign’s leadership, '
     'who, on a press call Friday, criticized Sanders for stealing their data and for “misrepresenting what '
     'had occurred.”',
     '2015-12-20',  # published on a Sun
     [('Friday', '2015-12-18')]),
    ('Q: You open your book on May 17, 2001.',
     '2016-05-06',  # published on a Fri
     [('May 17, 2001', '2001-05-17')]),
    ('“She has two opportunities now to set expectations for a rate hike in December,” said Megan Greene, '
     'chief economist at Manulife.',
     '2015-12-01',  # published on a Tue
     [('December', '2015-12')]),
    ('Stocks on Wall Street ended slightly higher on Friday, helped by better-than-expected quarterly results '
     "from Google's parent company, Alphabet, and the retailer Amazon and a modest recovery in oil prices.",
     '2016-07-30',  # published on a Sat
     [('Friday', '2016-07-29')]),
    ('Multiple outlets reported on Wednesday the Secret Service had “more than one conversation” with Trump or '
     'his staff about the statement.',
     '2016-08-10',  # published on a Wed
     [('Wednesday', '2016-08-10')]),
    ('Women are bankrolling political campaigns this year more than ever, driven by their rising rank in the '
     "workplace, boosts in women's wealth, and networks set up to gather their donations and bolster their "
     'influence.',
     '2016-05-09',  # published on a Mon
     [('this year', '2016')]),
    ('"I\'ll be voting [on March 1]," Welch said, according to Vermont Edition.',
     '2016-02-19',  # published on a Fri
     [('March 1', '2016-03-01')]),
    ('What those of us who were here know is that in 2008, most if not all of the elected officials here were '
     'not with [Obama].',
     '2016-02-01',  # published on a Mon
     [('2008', '2008')]),
    ('“That’s what we’re going to do between now and Nov. 8.”',
     '2016-07-27',  # published on a Wed
     [('Nov. 8', '2016-11-08')]),
    ('In it, they conclude that four of the 10 justices since 1946 friendliest to business are now on the '
     'court (Samuel A. Alito Jr., John G. Roberts Jr., Clarence Thomas and Anthony M. Kennedy) - and a fifth '
     'was Justice Scalia.',
     '2016-03-05',  # published on a Sat
     [('1946', '1946')]),
    ('The Washington Post reports\xa0Clinton’s last press conference was held on Dec. 4.',
     '2016-07-27',  # published on a Wed
     [('Dec. 4', '2015-12-04')]),
    ('“I have no intention of being vice president,” Rubio said in a Friday interview with Univision.',
     '2016-04-22',  # published on a Fri
     [('Friday', '2016-04-22')]),
    ('In a further symbol of change, Reeves, the judge hearing the case, is an African American who was born '
     'in 1964 and grew up in tiny Yazoo City.',
     '2016-07-02',  # published on a Sat
     [('1964', '1964')]),
    ('Former Democratic congressman Anthony Weiner had a rough day\xa0Monday.',
     '2016-08-29',  # published on a Mon
     [('Monday', '2016-08-29')]),
    ('But since 2007, Republicans have become increasingly devoted to protecting gun rights ―\xa0the share of '
     'Republicans saying “it is more important to protect gun rights” increased by 28 points over that time.',
     '2016-07-27',  # published on a Wed
     [('2007', '2007')]),
    ('In fact, it wasn’t until 2012 that the Republican Party raised the bar to this eight state qualification '
     'prerequisite — at the time, they did so in an effort to sandbag convention delegates who backed former '
     'GOP candidate Ron Paul.',
     '2016-02-24',  # published on a Wed
     [('2012', '2012')]),
    ('Chinese military commentators have said China plans to make the Scarborough Shoal, an atoll Beijing '
     'grabbed from the Philippines four years ago, into a fortress.',
     '2016-05-09',  # published on a Mon
     [('four years ago', '2012')]),
    ('Rubio, a Florida senator, ended his bid after an embarrassing loss to Donald Trump last week in his home '
     'state.',
     '2016-03-20',  # published on a Sun
     [('last week', '2016-W11')]),
    ('Radio talk show host Glenn Beck minced no words Tuesday night in sharing what he thinks of Sarah Palin’s '
     'endorsement of Donald Trump.',
     '2016-01-20',  # published on a Wed
     [('Tuesday night', '2016-01-19')]),
    ('Wisconsin holds its presidential primary on Tuesday.',
     '2016-04-01',  # published on a Fri
     [('Tuesday', '2016-04-05')]),
    ('In France, public schools still serve fish on Fridays.',
     '2015-12-10',  # published on a Thu
     []),
    ("He talks about how his forces must be ready ''to fight tonight.''",
     '2016-05-09',  # published on a Mon
     [('tonight', None)]),
    ('But they may want to reconsider after the past week - especially if they care about protecting the '
     "pro-business rulings that are among the late Justice Antonin Scalia's most important legacies.",
     '2016-03-05',  # published on a Sat
     [('the past week', '2016-W09')]),
    ('Thiel did not reveal exactly what he would say Thursday.',  # "would": the past's future (issue 11, 16)
     '2016-07-14',  # published on a Thu; he spoke a week later
     [('Thursday', '2016-07-21')]),
    ('“In August we reviewed the city’s existing contracts with Donald Trump and found no legal way to cancel '
     'these contracts,” Klein told POLITICO New York in an email.',
     '2015-12-11',  # published on a Fri
     [('August', '2015-08')]),
]


@pytest.mark.parametrize("sentence,published,expected", CASES)
def test_times_in_polnear_sentences(nlp, sentence, published, expected):
    got = extract_times(nlp(sentence), published)
    assert [(t.text, t.value) for t in got] == [tuple(x) for x in expected]
    for t in got:
        assert sentence[t.spans[0][0]:t.spans[0][1]] == t.text


def test_enough_real_sentences():
    assert len(CASES) >= 40


def test_seed_dates(nlp):
    text = ("In a post shared on its Telegram channel Wednesday (March 30), the ministry said the legion "
            "commanders were visiting detained former Russian troops. Russian President Vladimir Putin announced "
            "his country would conduct military operations in Eastern Ukraine during an NBC News translation of a "
            "speech addressing the Russian population in Moscow on February 24. NBC News correspondent Erin "
            "McLaughlin said explosions could be heard from her live shot in Kyiv at 6:00 a.m. local time.")
    got = [(t.text, t.value) for t in extract_times(nlp(text), "2022-04-01")]
    assert got == [("Wednesday (March 30)", "2022-03-30"), ("February 24", "2022-02-24"),
                   ("6:00 a.m. local time", "T06:00")]


@pytest.mark.parametrize("text,value", [
    ("last week", "2022-W12"), ("yesterday", "2022-03-31"), ("two weeks ago", "2022-03-18"),
    ("last month", "2022-03"), ("last Friday", "2022-03-25"), ("next year", "2023"), ("December 5", "2021-12-05"),
    ("7 p.m. ET", "T19:00"), ("12:30 a.m.", "T00:30"), ("Nov. 8, 2016", "2016-11-08"), ("March 2016", "2016-03"),
])
def test_normalize_forms(text, value):
    assert normalize_time(text, "2022-04-01") == value


def test_no_publication_date_keeps_only_absolute_values(nlp):
    got = extract_times(nlp("He spoke on Sunday, Nov. 8, 2015, and again last week."), None)
    assert [(t.text, t.value) for t in got] == [("Sunday, Nov. 8, 2015", "2015-11-08"), ("last week", None)]


@pytest.mark.parametrize("sentence,expected", [
    ("The two sides would meet on Tuesday to discuss the proposal, officials said.", "2023-06-13"),
    ("The two sides met on Tuesday to discuss the proposal, officials said.", "2023-06-06"),
    ("The two sides could have met on Tuesday, officials said.", "2023-06-06"),
])
def test_tense_decides_the_direction_of_a_weekday(nlp, sentence, expected):
    """Issue 11, item 16: published Monday 2023-06-12, "would meet on Tuesday" is the next day; "met" and
    "could have met" look back to the Tuesday before."""
    assert [t.value for t in extract_times(nlp(sentence), "2023-06-12")] == [expected]


def test_a_year_in_a_clause_beside_the_cue_does_not_date_the_statement(nlp):
    """Issue 11, item 14: "completed in 1978" dates the dam, not what the groups say; a time on the cue's
    own line of descent still dates it."""
    from reportedly.extract.attributions import extract_attributions
    from reportedly.resolve.dates import attribution_date

    for text, cue, expected in [
        ("The dam, completed in 1978, has long been criticised by environmental groups, who say it was never "
         "designed for the heavier storms of recent years.", "say", None),
        ("The senator, who first ran for the seat in 2008 and lost, said he would not endorse either candidate.",
         "said", None),
        ("The ministry said on Tuesday that inspectors had detected damage in two sections.", "said", "2024-03-12"),
        ("In a post shared on its Telegram channel Wednesday (March 13), the ministry said inspectors had "
         "detected damage.", "said", "2024-03-13"),
    ]:
        doc = nlp(text)
        attrs = extract_attributions(doc)
        a = next(x for x in attrs if x.cue.text == cue)
        got = attribution_date(doc, a, attrs, extract_times(doc, "2024-03-15"))
        assert (got.value if got else None) == expected, (text, got)
