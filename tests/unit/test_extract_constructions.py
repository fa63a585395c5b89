"""One row per construction the extractor handles; every sentence is written for this table."""

from __future__ import annotations

import pytest

from aggregator.extract import extract_statements
from aggregator.model import Statement


def _only(text: str) -> Statement:
    statements = extract_statements(text)
    assert len(statements) == 1, statements
    return statements[0]


# text, speaker as written, content, kind, cue
SINGLE = [
    # reported speech with and without "that"
    (
        "The mayor said the bridge would reopen in May.",
        "The mayor",
        "the bridge would reopen in May",
        "indirect",
        "said",
    ),
    (
        "Officials insisted that the harbour remained open to ships.",
        "Officials",
        "the harbour remained open to ships",
        "indirect",
        "insisted",
    ),
    # direct speech, post-posed and inverted, straight and curly quotes
    (
        '"We will not retreat," the commander said.',
        "the commander",
        '"We will not retreat,"',
        "direct",
        "said",
    ),
    (
        "“The talks are over,” said Anna Berg.",
        "Anna Berg",
        "“The talks are over,”",
        "direct",
        "said",
    ),
    # tokeniser quotes from older corpora
    (
        "``Nobody asked us,'' the farmer said.",
        "the farmer",
        "``Nobody asked us,''",
        "direct",
        "said",
    ),
    # mixed: a partial quotation inside reported speech
    (
        'The minister warned that the region faced "a long winter".',
        "The minister",
        'the region faced "a long winter"',
        "mixed",
        "warned",
    ),
    # apposition: role before the name
    (
        "Norway's envoy to the UN, Kari Lunde, said the vote was postponed.",
        "Kari Lunde",
        "the vote was postponed",
        "indirect",
        "said",
    ),
    # titles
    (
        "Gen Piotr Nowak said his units had withdrawn from the valley.",
        "Gen Piotr Nowak",
        "his units had withdrawn from the valley",
        "indirect",
        "said",
    ),
    # institutions and capitals
    (
        "The Finnish foreign ministry said the embassy would stay open.",
        "The Finnish foreign ministry",
        "the embassy would stay open",
        "indirect",
        "said",
    ),
    (
        "Moscow insists the convoy carried only food.",
        "Moscow",
        "the convoy carried only food",
        "indirect",
        "insists",
    ),
    # groups
    (
        "Rebels in the north said they had captured the airport.",
        "Rebels in the north",
        "they had captured the airport",
        "indirect",
        "said",
    ),
    # participle construction before the subject
    (
        "Speaking to reporters, the governor stressed that no curfew was planned.",
        "the governor",
        "no curfew was planned",
        "indirect",
        "stressed",
    ),
    # "according to"
    (
        "The dam was damaged in the night, according to local officials.",
        "local officials",
        "The dam was damaged in the night",
        "indirect",
        "according to",
    ),
    # post-posed reported speech
    (
        "The ferry service will resume on Monday, the company said.",
        "the company",
        "The ferry service will resume on Monday",
        "indirect",
        "said",
    ),
    # told + object
    (
        "The senator told reporters that the bill had enough votes.",
        "The senator",
        "the bill had enough votes",
        "indirect",
        "told",
    ),
    # time adverbial between cue and content
    (
        "The agency said on Friday that prices had fallen.",
        "The agency",
        "prices had fallen",
        "indirect",
        "said",
    ),
    # square-bracket insertion inside a quotation
    (
        '"They must [return to] the table," she said.',
        "she",
        '"They must [return to] the table,"',
        "direct",
        "said",
    ),
    # colon before a quotation
    (
        'The coach said: "We were simply better today."',
        "The coach",
        '"We were simply better today."',
        "direct",
        "said",
    ),
    # a speech noun with its owner
    (
        "The protest followed Ms Varga's claim that the ballots were lost.",
        "Ms Varga",
        "the ballots were lost",
        "indirect",
        "claim",
    ),
    # headline in title case, and a transcript label
    (
        "Harbour Chief Says Ferries Will Run Again",
        "Harbour Chief",
        "Ferries Will Run Again",
        "indirect",
        "Says",
    ),
    (
        "Anna Berg: the talks are over for now.",
        "Anna Berg",
        "the talks are over for now",
        "direct",
        ":",
    ),
    # a transcript label in capitals
    (
        "DANA LUND: We will reopen the pier next week.",
        "DANA LUND",
        "We will reopen the pier next week",
        "direct",
        ":",
    ),
    # a title's full stop does not end the "according to" source
    (
        "According to Sen. Ada Voss, the bridge tolls will double next spring.",
        "Sen. Ada Voss",
        "the bridge tolls will double next spring",
        "indirect",
        "According to",
    ),
    # a relative clause after an apposition: the name before the apposition speaks
    (
        "Pim Ostrow, head of the dock workers' union, which called the strike, said the"
        " talks had collapsed overnight.",
        "Pim Ostrow",
        "the talks had collapsed overnight",
        "indirect",
        "said",
    ),
    # a naming verb with an object and a predicate noun, no quotation marks
    (
        "The harbour master called the new toll a tax on fishermen.",
        "The harbour master",
        "the new toll a tax on fishermen",
        "indirect",
        "called",
    ),
    # a quantified subject with an -ed adjective after "of"
    (
        "Still, 40 percent of registered members say the club should move.",
        "40 percent of registered members",
        "the club should move",
        "indirect",
        "say",
    ),
    # "those" with more words is a subject
    (
        "Those polled say the ferry fares are too high.",
        "Those polled",
        "the ferry fares are too high",
        "indirect",
        "say",
    ),
    # a cue word capitalised inside the clause subject's title is no verb
    (
        "Secretary of State Ada Voss toured the port on Monday, saying the harbour would be"
        " dredged.",
        "Secretary of State Ada Voss",
        "the harbour would be dredged",
        "indirect",
        "saying",
    ),
    # "told" with a named addressee "X of Y" and a clause without "that"
    (
        "Lena Moss told The Courier of Bergen last week she would run again.",
        "Lena Moss",
        "she would run again",
        "indirect",
        "told",
    ),
    # "described" takes a plain object
    (
        "In interviews, the dock workers described long shifts without a break.",
        "the dock workers",
        "long shifts without a break",
        "indirect",
        "described",
    ),
    # "stressed" and "claimed" take a plain object
    (
        "The port authority stressed the need for a second crane.",
        "The port authority",
        "the need for a second crane",
        "indirect",
        "stressed",
    ),
    (
        "Mayor Ines Holt claimed victory in the harbour vote.",
        "Mayor Ines Holt",
        "victory in the harbour vote",
        "indirect",
        "claimed",
    ),
    (
        "The dockers' union argued the case for a shorter week.",
        "The dockers' union",
        "the case for a shorter week",
        "indirect",
        "argued",
    ),
    # a "whose" clause after the subject: its antecedent speaks
    (
        "The harbour pilots whose licences were suspended say the inquiry was rushed.",
        "The harbour pilots",
        "the inquiry was rushed",
        "indirect",
        "say",
    ),
    # an apposition after the "according to" source describes the source
    (
        "The ferry will be late, according to Nils Berg, a harbour pilot.",
        "Nils Berg",
        "The ferry will be late",
        "indirect",
        "according to",
    ),
    # "according to" in the middle of the claim
    (
        "Most of the shelters, according to aid workers, are already full.",
        "aid workers",
        "Most of the shelters, according to aid workers, are already full",
        "indirect",
        "according to",
    ),
    # a demand
    (
        "The council called for an immediate ceasefire.",
        "The council",
        "an immediate ceasefire",
        "indirect",
        "called",
    ),
    # the attribution inside the claim
    (
        "The plan, a spokesman said, had been shelved.",
        "a spokesman",
        "The plan, a spokesman said, had been shelved",
        "indirect",
        "said",
    ),
    # a passive question: the question is the content, the asker (if named) the speaker
    (
        "Asked whether the tunnel would close, the engineer shrugged.",
        None,
        "whether the tunnel would close",
        "indirect",
        "Asked",
    ),
    (
        "The minister was asked by a pupil about the new exam timetable.",
        "a pupil",
        "the new exam timetable",
        "indirect",
        "asked",
    ),
    # speech nouns with a source and a linking word
    (
        "The club ignored complaints from neighbours that the music was too loud.",
        "neighbours",
        "the music was too loud",
        "indirect",
        "complaints",
    ),
    (
        "The vote came after Ms Lund's criticism of the new tax on fishing boats.",
        "Ms Lund",
        "the new tax on fishing boats",
        "indirect",
        "criticism",
    ),
    (
        "Nobody expected their calls for a second referendum on the bridge.",
        "their",
        "a second referendum on the bridge",
        "indirect",
        "calls",
    ),
    # "told X that" followed by a subordinate clause
    (
        "He told farmers that if the rain held off, the harvest would be early.",
        "He",
        "if the rain held off, the harvest would be early",
        "indirect",
        "told",
    ),
    # a first name that looks like an adverb
    (
        "Holly said she would stand again.",
        "Holly",
        "she would stand again",
        "indirect",
        "said",
    ),
    # the clause subject speaks across a participle or an inserted clause
    (
        "Officials briefed on the plan say the trucks run all night.",
        "Officials",
        "the trucks run all night",
        "indirect",
        "say",
    ),
    (
        "The port authority, when reached by phone, said the cranes were idle.",
        "The port authority",
        "the cranes were idle",
        "indirect",
        "said",
    ),
    # a quotation without a cue, in a sentence whose subject is a name or pronoun
    (
        'Sofia Lind had one message for the crowd: "Nobody here is giving up."',
        "Sofia Lind",
        '"Nobody here is giving up."',
        "direct",
        None,
    ),
    # an embedded question after a verb of explaining
    (
        "The engineer explained why the turbines had stopped.",
        "The engineer",
        "why the turbines had stopped",
        "indirect",
        "explained",
    ),
    # a naming participle whose object is a quotation
    (
        'The coach walked off, calling him "a disgrace to the sport."',
        "The coach",
        'him "a disgrace to the sport."',
        "mixed",
        "calling",
    ),
    # "in a video message to X": where it was said, not what
    (
        "The ferries will run again, she said in a video message to the islanders.",
        "she",
        "The ferries will run again",
        "indirect",
        "said",
    ),
    # a parenthetical source: "as X noted"
    (
        "The ferry, as the harbour master noted, has not sailed since May.",
        "the harbour master",
        "The ferry, as the harbour master noted, has not sailed since May",
        "indirect",
        "noted",
    ),
    (
        "The dam is older than the town, as one engineer put it.",
        "one engineer",
        "The dam is older than the town",
        "indirect",
        "put it",
    ),
    # words between the subject and its verb
    (
        "The harbour board, for example, said the cranes were idle.",
        "The harbour board",
        "the cranes were idle",
        "indirect",
        "said",
    ),
    # a quoted title before the subject is not the statement
    (
        'On the radio show "Harbour Hour," Nordin said that the pier would be rebuilt.',
        "Nordin",
        "the pier would be rebuilt",
        "indirect",
        "said",
    ),
    # a long relative clause on the subject; a pronoun after the verb opens the clause
    (
        "Lund, who has visited every island in the county since the storm, said she "
        "sees ferries returning by spring.",
        "Lund",
        "she sees ferries returning by spring",
        "indirect",
        "said",
    ),
    # an apposition after the subject, and a verb whose object is the content
    (
        "Mia Holm, a ferry captain from Bergen, criticized the new harbour fees.",
        "Mia Holm",
        "the new harbour fees",
        "indirect",
        "criticized",
    ),
    # speech verbs whose object is what was said
    (
        "The governor recalled the winter of the great flood.",
        "The governor",
        "the winter of the great flood",
        "indirect",
        "recalled",
    ),
    (
        "The senator spoke about the new harbour.",
        "The senator",
        "the new harbour",
        "indirect",
        "spoke about",
    ),
    (
        "The governor mentioned the storm damage on the north coast.",
        "The governor",
        "the storm damage on the north coast",
        "indirect",
        "mentioned",
    ),
    (
        "The captain proclaimed that the voyage was over.",
        "The captain",
        "the voyage was over",
        "indirect",
        "proclaimed",
    ),
    # stance verbs with an object are claims too
    (
        'Mr Varga denounced the report as "pure fiction".',
        "Mr Varga",
        'the report as "pure fiction"',
        "mixed",
        "denounced",
    ),
    # a question or exclamation closing the quotation does not cut off its attribution
    (
        "“Who will pay for the new pier?” Councillor Rask asked.",
        "Councillor Rask",
        "“Who will pay for the new pier?”",
        "direct",
        "asked",
    ),
    (
        "“Not one more closure!” Olsen said.",
        "Olsen",
        "“Not one more closure!”",
        "direct",
        "said",
    ),
    # three tokeniser marks: a single quotation nested at the end of a double one
    (
        "''They keep calling it 'a temporary measure,''' Ms. Dahl said.",
        "Ms. Dahl",
        "''They keep calling it 'a temporary measure,'''",
        "direct",
        "said",
    ),
    # speech inside a relative clause: the rest of that clause is the claim
    (
        "The ferry company, which inspectors said was ignoring safety rules, lost its licence.",
        "inspectors",
        "was ignoring safety rules",
        "indirect",
        "said",
    ),
    # a conditional claim after "said", and "much of"
    (
        "Rask said if the pier closed, the fishing fleet would move to Bergen.",
        "Rask",
        "if the pier closed, the fishing fleet would move to Bergen",
        "indirect",
        "said",
    ),
    (
        "Olsen said much of the harbour budget had gone to dredging.",
        "Olsen",
        "much of the harbour budget had gone to dredging",
        "indirect",
        "said",
    ),
    # no noun phrase before a stance verb with "that": the clause's subject speaks
    (
        "The mayor paused, then admitted that the ferry timetable had failed.",
        "The mayor",
        "the ferry timetable had failed",
        "indirect",
        "admitted",
    ),
    # a base form after an adverb, or before "that", is a verb
    (
        "Harbour workers today argue that the new cranes are unsafe.",
        "Harbour workers",
        "the new cranes are unsafe",
        "indirect",
        "argue",
    ),
    # a long subject with an infinitive in it
    (
        "The last captain to sail the old northern route says the channel is now too shallow.",
        "The last captain to sail the old northern route",
        "the channel is now too shallow",
        "indirect",
        "says",
    ),
    # a topic after a speech verb
    (
        "The harbour master complained bitterly about the new mooring fees.",
        "The harbour master",
        "the new mooring fees",
        "indirect",
        "complained",
    ),
    (
        "The union warned of a long strike at the shipyard.",
        "The union",
        "a long strike at the shipyard",
        "indirect",
        "warned",
    ),
    # a phrasal participle is a participle: the clause's subject speaks
    (
        "Berg arrived late, pointing to the rise in ferry traffic.",
        "Berg",
        "the rise in ferry traffic",
        "indirect",
        "pointing to",
    ),
    # any adverb in -ly between the subject and the verb
    (
        "The ferry operator specifically points to the cost of fuel.",
        "The ferry operator",
        "the cost of fuel",
        "indirect",
        "points to",
    ),
    # a verb outside the lexicon after a quotation that opens the sentence
    (
        "“Get off my pier,” Olsen barked.",
        "Olsen",
        "“Get off my pier,”",
        "direct",
        "barked",
    ),
    (
        "“We never saw the inspectors,” recalled Ingrid Moe, a net maker.",
        "Ingrid Moe",
        "“We never saw the inspectors,”",
        "direct",
        "recalled",
    ),
    # a short claim around a parenthetical attribution
    (
        "The new pier, she says, is safe.",
        "she",
        "The new pier, she says, is safe",
        "indirect",
        "says",
    ),
    # a name and a quotation after the verb
    (
        "Rask says Olsen “never once came to the harbour.”",
        "Rask",
        "Olsen “never once came to the harbour.”",
        "mixed",
        "says",
    ),
    # "But" before a subject whose first word is an -ing adjective
    (
        "But leading engineers say the crane cannot be repaired.",
        "leading engineers",
        "the crane cannot be repaired",
        "indirect",
        "say",
    ),
    # an aside between the subject and the verb; an adjective of nationality in the subject
    (
        "Norwegian engineers, like their Danish colleagues, say the bridge needs new cables.",
        "Norwegian engineers",
        "the bridge needs new cables",
        "indirect",
        "say",
    ),
    # a quotation after "according to"
    (
        "According to the port authority, “the channel will reopen on Monday.”",
        "the port authority",
        "“the channel will reopen on Monday.”",
        "direct",
        "According to",
    ),
    # a participle after a preposition: the clause's subject speaks; the listener is skipped
    (
        "Dahl ended the meeting by reminding the council that the pier was unsafe.",
        "Dahl",
        "the pier was unsafe",
        "indirect",
        "reminding",
    ),
    # a split quotation around an attribution with an adjunct
    (
        "“We tried,” she said of the rescue, “but the sea was too rough.”",
        "she",
        "“We tried,” she said of the rescue, “but the sea was too rough.”",
        "direct",
        "said",
    ),
    # a programme's title before the subject, a clause after the verb
    (
        "In an interview with “Harbour Hour,” Olsen said the ferry would be sold.",
        "Olsen",
        "the ferry would be sold",
        "indirect",
        "said",
    ),
    # a time word and a pronoun after the verb open the claim, not an inverted speaker
    (
        "Rask, who on Monday met the unions, said Tuesday he expects a deal.",
        "Rask",
        "he expects a deal",
        "indirect",
        "said",
    ),
    # a speech noun after a light verb: its subject speaks
    (
        "At the meeting, Olsen made an urgent call for a new breakwater.",
        "Olsen",
        "a new breakwater",
        "indirect",
        "call",
    ),
    (
        "The fishermen voiced concerns about the dredging.",
        "The fishermen",
        "the dredging",
        "indirect",
        "concerns",
    ),
    # a demand ends at the first comma
    (
        "The union called for a strike, even though the talks had not failed.",
        "The union",
        "a strike",
        "indirect",
        "called",
    ),
    # a contracted verb right after the clause's subject
    (
        "The harbour master's deputies insist he's staying until spring.",
        "The harbour master's deputies",
        "he's staying until spring",
        "indirect",
        "insist",
    ),
    # a verb outside the lexicon right before a quotation that ends the sentence
    (
        "At the hearing, Olsen snapped, “Nobody asked the fishermen.”",
        "Olsen",
        "“Nobody asked the fishermen.”",
        "direct",
        "snapped",
    ),
    # a cue-less quotation whose subject gives a description before the name
    (
        "Norwegian harbour director Eva Lindqvist had a short answer: “The pier stays closed.”",
        "Norwegian harbour director Eva Lindqvist",
        "“The pier stays closed.”",
        "direct",
        None,
    ),
    # a parenthetical attribution before the claim's own verb
    (
        "Dredging the channel, he promised, would be finished by June.",
        "he",
        "Dredging the channel, he promised, would be finished by June",
        "indirect",
        "promised",
    ),
    # a post-posed attribution followed by an adjunct: the claim is before it
    (
        "A dry summer is unlikely, she said after meeting farmers in the valley.",
        "she",
        "A dry summer is unlikely",
        "indirect",
        "said",
    ),
    # an inverted speaker with a relative clause about them
    (
        "Even if the port closed, most of its fees would go to other towns or offices, said"
        " Berg, who was elected to the U.S. House in 2012.",
        "Berg",
        "Even if the port closed, most of its fees would go to other towns or offices",
        "indirect",
        "said",
    ),
    # a time phrase that is the reported clause's subject, not an adjunct of the verb
    (
        "The skipper said this year will be the worst for the fleet.",
        "The skipper",
        "this year will be the worst for the fleet",
        "indirect",
        "said",
    ),
    # markup left in the text: its quoted attributes are no quotations
    (
        '<tweet author="@harbourwatch" date="2016-03-01">The skipper said the nets were'
        " empty.</tweet>",
        "The skipper",
        "the nets were empty",
        "indirect",
        "said",
    ),
    # "all" before a number or "of" opens a subject
    (
        "All three captains have said they would keep the fleet in port.",
        "All three captains",
        "they would keep the fleet in port",
        "indirect",
        "said",
    ),
    # "about" before a quantity is no topic
    (
        "The port authority said about half of the rise in fees reflected fuel costs.",
        "The port authority",
        "about half of the rise in fees reflected fuel costs",
        "indirect",
        "said",
    ),
    # a condition with no comma before its consequence
    (
        "Berg said if elected mayor she would reopen the ferry line.",
        "Berg",
        "if elected mayor she would reopen the ferry line",
        "indirect",
        "said",
    ),
    # a long subject with a participle phrase in it
    (
        "A redacted copy of the 2015 harbour board inspector general's memo seen by reporters"
        " said the locks had failed twice.",
        "A redacted copy of the 2015 harbour board inspector general's memo seen by reporters",
        "the locks had failed twice",
        "indirect",
        "said",
    ),
    # the verb opens the sentence, the speaker follows it
    (
        "Said Dahl, “The nets have been empty since the spring.”",
        "Dahl",
        "“The nets have been empty since the spring.”",
        "direct",
        "Said",
    ),
    # naming verbs: "home" before a noun, a bare plural before "and", a headline's single marks
    (
        "Dahl calls Tromsø her home port.",
        "Dahl",
        "Tromsø her home port",
        "indirect",
        "calls",
    ),
    (
        "The skipper attacked the new quotas, calling them theft and walking out.",
        "The skipper",
        "them theft",
        "indirect",
        "calling",
    ),
    (
        "Port chief calls fee rise ‘reckless’",
        "Port chief",
        "fee rise ‘reckless’",
        "indirect",
        "calls",
    ),
    # a source in the passive: "as reported by X"
    (
        "As reported by the Harbour Gazette, the ferry line lost money for a third year.",
        "the Harbour Gazette",
        "the ferry line lost money for a third year",
        "indirect",
        "reported",
    ),
    (
        "The ferry line lost money for a third year, as first reported by the Gazette on Monday.",
        "the Gazette",
        "The ferry line lost money for a third year",
        "indirect",
        "reported",
    ),
    # after "told X that", a gerund opens the clause even with a comma in the addressee
    (
        "Berg told a meeting in Bodø, Norway on Monday that dredging is too costly.",
        "Berg",
        "dredging is too costly",
        "indirect",
        "told",
    ),
    # a second verb after "and" goes with the reported clause's own subject ...
    (
        "Dahl said she was tired of the quotas and wanted a skipper on the board.",
        "Dahl",
        "she was tired of the quotas and wanted a skipper on the board",
        "indirect",
        "said",
    ),
    # ... unless it is the speaker's next speech verb or follows "then"
    (
        "Dahl said the quotas were unfair and then walked out of the meeting.",
        "Dahl",
        "the quotas were unfair",
        "indirect",
        "said",
    ),
    # a quoted programme title after the attribution is no second part of the quotation
    (
        "“The nets are empty,” Dahl told “Coast Watch” on Sunday.",
        "Dahl",
        "“The nets are empty,”",
        "direct",
        "told",
    ),
    # a coordinated clause with a subject of its own ends the claim
    (
        "Dahl explained the quota system at length, but most skippers keep ignoring it.",
        "Dahl",
        "the quota system at length",
        "indirect",
        "explained",
    ),
    (
        "Dahl is pledging to fight the quotas in court -- even as the ministry closed the case.",
        "Dahl",
        "to fight the quotas in court",
        "indirect",
        "pledging",
    ),
    (
        "Dahl recounted her years at sea, listed her catches, and showed her nets.",
        "Dahl",
        "her years at sea",
        "indirect",
        "recounted",
    ),
    # "while" before a lone adjective is an aside, not a new clause
    (
        "Dahl says the quota rule, while unpopular, was applied fairly.",
        "Dahl",
        "the quota rule, while unpopular, was applied fairly",
        "indirect",
        "says",
    ),
    # after a colon the whole list is the claim
    (
        "Berg said: the pier is unsafe; the cranes are old; and the ferry loses money.",
        "Berg",
        "the pier is unsafe; the cranes are old; and the ferry loses money",
        "indirect",
        "said",
    ),
    # a participle after a noun and before a preposition qualifies the noun
    (
        "“The talks are stuck,” says a source involved in the negotiations.",
        "a source involved in the negotiations",
        "“The talks are stuck,”",
        "direct",
        "says",
    ),
    (
        "A witness interviewed by harbour staff said the locks had failed twice.",
        "A witness interviewed by harbour staff",
        "the locks had failed twice",
        "indirect",
        "said",
    ),
    # an adjunct with "by" between the verb and "that"
    (
        "Skippers say by a wide margin that the quotas should be lifted.",
        "Skippers",
        "the quotas should be lifted",
        "indirect",
        "say",
    ),
    # a semicolon after a post-posed verb: the claim came before it
    (
        "The fleet will shrink by half, analysts say; in 2012 it lost a third.",
        "analysts",
        "The fleet will shrink by half",
        "indirect",
        "say",
    ),
    # "a third" is a fraction, not an ordinal before a noun
    (
        "Nearly a third say they would sell their boats.",
        "Nearly a third",
        "they would sell their boats",
        "indirect",
        "say",
    ),
    # an adjunct and a comma between the verb and its quotation
    (
        "Berg wrote to her 2,000 followers, “The pier closes on Friday,” and logged off.",
        "Berg",
        "“The pier closes on Friday,”",
        "direct",
        "wrote",
    ),
    # "But, as X said, “…”" opens like "As X said, “…”"
    (
        "But, as the skipper said, “Nobody fishes in a storm.”",
        "the skipper",
        "“Nobody fishes in a storm.”",
        "direct",
        "said",
    ),
    # a programme's title after the broadcaster is no content
    (
        "The fleet will be sold, she said on Monday on CNN’s “Harbour Hour.”",
        "she",
        "The fleet will be sold",
        "indirect",
        "said",
    ),
    # speakers: an aside in parentheses, a relative clause holding commas, "told" + addressee
    (
        "Few skippers admit it, but Ada Dahl (a trawler captain for thirty years on this coast)"
        " says the fleet is finished.",
        "Ada Dahl",
        "the fleet is finished",
        "indirect",
        "says",
    ),
    (
        "Dahl, who fished off Bodø, Tromsø and Narvik, praised the new quotas in an interview.",
        "Dahl",
        "the new quotas in an interview",
        "indirect",
        "praised",
    ),
    (
        "“The nets are empty,” a skipper, who fishes out of Bodø, told the Gazette.",
        "a skipper",
        "“The nets are empty,”",
        "direct",
        "told",
    ),
    # a relative clause after a plain object describes it; it is not what was said
    (
        "Dahl praised the new harbour master, who took office in May.",
        "Dahl",
        "the new harbour master",
        "indirect",
        "praised",
    ),
    # the antecedent of "who" is the name after "from"/"by" in the noun phrase
    (
        "The mayor won her first endorsement from Ada Dahl, who declared in the hall, “She will"
        " save the harbour.”",
        "Ada Dahl",
        "“She will save the harbour.”",
        "direct",
        "declared",
    ),
    # a partial quotation ending the claim, then the attribution, then the rest of the quote
    (
        "The ferry is “a lifeline,” the skipper said. “Without it the island empties.”",
        "the skipper",
        "The ferry is “a lifeline,” the skipper said. “Without it the island empties.”",
        "mixed",
        "said",
    ),
    # a comment on the whole claim is no part of it
    (
        "The mayor said the ferry fare would rise in spring, an admission that the line loses"
        " money.",
        "The mayor",
        "the ferry fare would rise in spring",
        "indirect",
        "said",
    ),
    # a comparison after the claim, and the speaker's own next verb, end it
    (
        "Some 48 percent said the ferry should stay, compared with 30 percent a year ago.",
        "Some 48 percent",
        "the ferry should stay",
        "indirect",
        "said",
    ),
    (
        "The mayor says she will vote for the harbour plan but has withheld her endorsement.",
        "The mayor",
        "she will vote for the harbour plan",
        "indirect",
        "says",
    ),
    # the name given ends the claim before a participle or a dash
    (
        "The mayor called the ferry plan “a fantasy,” citing the cost of the new berths.",
        "The mayor",
        "the ferry plan “a fantasy,”",
        "mixed",
        "called",
    ),
    # an apposition holding a coordination between the name and the verb
    (
        "“The quay will flood again,” Ada Lunde, a trawler captain and former harbour master,"
        " said dryly.",
        "Ada Lunde",
        "“The quay will flood again,”",
        "direct",
        "said",
    ),
    # the topic between the verb and the quotation
    (
        "The skipper said of the storm, “Nothing like it in thirty years.”",
        "The skipper",
        "“Nothing like it in thirty years.”",
        "direct",
        "said",
    ),
    (
        "The skipper said as he tied up the boat, “Nothing like it in thirty years.”",
        "The skipper",
        "“Nothing like it in thirty years.”",
        "direct",
        "said",
    ),
    # the antecedent of "who" after a verb, and a bare plural after capitalised modifiers
    (
        "One such politician was Ada Lunde, who said the quay would flood again.",
        "Ada Lunde",
        "the quay would flood again",
        "indirect",
        "said",
    ),
    (
        "The storm vindicated Harbour Board members who had warned that the quay would flood.",
        "Harbour Board members",
        "the quay would flood",
        "indirect",
        "warned",
    ),
    # a document with a time after it speaks for the clause's subject
    (
        "The mayor released a statement Thursday night calling for calm in the harbour.",
        "The mayor",
        "calm in the harbour",
        "indirect",
        "calling",
    ),
    # a participle qualifying a capitalised noun after a quantifier
    (
        "“The quay will flood again,” said one Norwegian involved in the talks.",
        "one Norwegian involved in the talks",
        "“The quay will flood again,”",
        "direct",
        "said",
    ),
    # an apposition ending in its own relative clause, commas and all
    (
        "Many factors raise the cost of the quay and the budget of the port, said Ada Lunde, an"
        " engineer who has written reports, papers and letters on the harbour.",
        "Ada Lunde",
        "Many factors raise the cost of the quay and the budget of the port",
        "indirect",
        "said",
    ),
    # a dash after a plain object opens an apposition to it
    (
        "The skippers predicted an easy victory for the ferry plan - a landslide built on the"
        " island vote.",
        "The skippers",
        "an easy victory for the ferry plan",
        "indirect",
        "predicted",
    ),
    (
        "The mayor said she would visit the quay later, and to date has only issued a statement.",
        "The mayor",
        "she would visit the quay later",
        "indirect",
        "said",
    ),
    # a demand ends before a single dash, but paired dashes stay inside it
    (
        "The mayor calls for 2 million crowns - half of what the port asked.",
        "The mayor",
        "2 million crowns",
        "indirect",
        "calls",
    ),
    (
        "The mayor called on all skippers to report damage — including to nets — by Friday.",
        "The mayor",
        "all skippers to report damage — including to nets — by Friday",
        "indirect",
        "called",
    ),
    # an irregular past tense is no part of a speaker; an aspect verb before a participle
    (
        "The mayor kept asking whether the quay was lost.",
        "The mayor",
        "whether the quay was lost",
        "indirect",
        "asking",
    ),
    # a verb opening the sentence, the speaker and an aside before the quotation
    (
        "Said Ada Lunde, who has fished the bay for thirty years, “Nothing like it before.”",
        "Ada Lunde",
        "“Nothing like it before.”",
        "direct",
        "Said",
    ),
    # a verb that otherwise needs "that" after a quotation
    (
        "“The port will stay open all winter,” the skippers state in their letter.",
        "the skippers",
        "“The port will stay open all winter,”",
        "direct",
        "state",
    ),
    # an object-taking verb inverted after a full clause, with a name after it
    (
        "The ferry will stop running before the winter, predicted Ada Lunde, a former mayor.",
        "Ada Lunde",
        "The ferry will stop running before the winter",
        "indirect",
        "predicted",
    ),
    # "stated" takes a plain object in the past, like "mentioned" and "tweeted"
    (
        "The harbour master also stated his intention to retire in the spring.",
        "The harbour master",
        "his intention to retire in the spring",
        "indirect",
        "stated",
    ),
    # a span of time between the verb and the clause
    (
        "The mayor has said for weeks the ferry will run all winter.",
        "The mayor",
        "the ferry will run all winter",
        "indirect",
        "said",
    ),
    # an adverb between "call" and its particle
    (
        "The mayor called again for the port chief to resign.",
        "The mayor",
        "the port chief to resign",
        "indirect",
        "called",
    ),
    # after a plain object, the speaker's next verb ends the claim
    (
        "The mayor rejected the ferry plan and ordered a new study of the quay.",
        "The mayor",
        "the ferry plan",
        "indirect",
        "rejected",
    ),
    # a base form after a plural without a final "s"
    (
        "Local women claim the harbour was sold in secret.",
        "Local women",
        "the harbour was sold in secret",
        "indirect",
        "claim",
    ),
    # first names that are also auxiliaries
    (
        "“The bay is empty,” said Will Aune, a trawler captain.",
        "Will Aune",
        "“The bay is empty,”",
        "direct",
        "said",
    ),
    # an inverted speaker whose apposition names a place with commas in it
    (
        "The ferry line loses money every winter, said Ada Lunde, an economist at the University"
        " of Tromso, Norway, Centre for Coastal Studies.",
        "Ada Lunde",
        "The ferry line loses money every winter",
        "indirect",
        "said",
    ),
    (
        "Harbour chief Ada May said the berths would be rebuilt.",
        "Harbour chief Ada May",
        "the berths would be rebuilt",
        "indirect",
        "said",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "content", "kind", "cue"), SINGLE)
def test_single_statement(
    text: str, speaker: str | None, content: str, kind: str, cue: str | None
) -> None:
    statement = _only(text)
    assert statement.speaker == speaker
    assert statement.text == content
    assert statement.kind == kind
    assert statement.cue == cue
    assert text[statement.start : statement.end] == statement.text


NOT_STATEMENTS = [
    "The region declared independence in 1992 and formed close links with its neighbour.",
    "Troops were sent to the border on Thursday.",
    "The report, which runs to 40 pages, is due next week.",
    "She was charged with fraud after the audit.",
    "The journal issued a call for papers on coastal erosion.",
    "He was asked to leave the hall.",
    "The mayor won more pledged delegates than anyone in the region.",
    "The report will mention the harbour in passing.",
    "Turnout rose in the coastal states that held early primaries.",
    "Heavy rain fell across the valley overnight.",
    "The harbour master called Oslo a day later.",
    "The harbour master called a press conference on Monday.",
    "All reported sightings of the ship were checked by the coast guard.",
    "Her stated aim is a new harbour by 2030.",
    "The mayor said after the storm.",
    "Berg told a council committee in September.",
    "STATE COLLEGE, Pa. - The harbour reopened on Tuesday.",
    "The new pier adds a second berth to the harbour.",
    "Dahl wrote a book about the fleet in 2009.",
    "Dahl thought the storm had passed and took the boat out.",
    "Ada Dahl replaced Berg on the marquee “Sunday Night Harbour Watch” broadcasts.",
    "The harbour vote was too close to call for much of the night.",
    "BOOM: The Harbour Board Just Fired Its Chief Over The Ferry Line.",
    "Will the harbour board say it was wrong?",
    "Only time will tell if the new quay can take the winter storms.",
    "As the storm rolled in, the mayor continued delivering her speech on the quay.",
    "Tromso will be the fifth state that the ferry line serves.",
    "Even if the ferry loses by, say, ten votes, the line will survive the winter.",
    "The storm helps explain why the quay flooded twice.",
    "With 99 percent of precincts reporting, the ferry vote was still too close.",
    "Fares would rise, traffic would decline, and the quay would stand empty.",
]

# the object runs on over a participle used as an adjective
OBJECT_RUNS_ON = "The port announced layoffs and continued cost-cutting at the quay."


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_no_statement_without_a_speech_cue(text: str) -> None:
    assert extract_statements(text) == []


def test_quote_over_two_sentences_is_one_statement() -> None:
    text = '"The road is cut," he said. "Nobody can leave the town."'
    statement = _only(text)
    assert statement.text == text[: text.rindex('"') + 1]
    assert statement.kind == "direct"


def test_unattributed_quote_continues_the_previous_speaker() -> None:
    text = (
        "The harbour master, Ole Dahl, said the ships were safe.\n\n"
        '"Every crew is accounted for. We are ready for the storm."'
    )
    first, second = extract_statements(text)
    assert first.actor == second.actor == "Ole Dahl"
    assert second.kind == "direct"
    assert second.speaker == "Ole Dahl"


def test_quoted_paragraphs_without_a_cue_continue_a_quoted_statement() -> None:
    text = (
        "“The nets came up empty all week,” said Ada Lunde, a trawler captain.\n\n"
        "“We have never seen the bay like this. Not once in thirty years.”\n\n"
        "“The young crews are leaving for the city.”\n\n"
        "Prices at the quay rose again on Friday."
    )
    statement = _only(text)
    assert statement.text == text[: text.index("Prices") - 2]
    assert statement.speaker == "Ada Lunde"


def test_a_quotation_left_open_runs_into_the_next_paragraph() -> None:
    # the newspaper convention: no closing mark where a quotation goes on in a new paragraph
    text = (
        "The captain said: “The nets came up empty all week and the bay is silent.\n\n"
        "“We have never seen it like this.”"
    )
    statement = _only(text)
    assert statement.text == text[text.index("“") :]


def test_a_reported_statement_is_not_merged_with_the_next_quoted_paragraph() -> None:
    text = (
        "The captain said the nets had come up empty all week.\n\n"
        "“We have never seen the bay like this, not once in thirty years.”"
    )
    first, second = extract_statements(text)
    assert first.kind == "indirect"
    assert second.text == text[text.index("“") :]
    assert second.speaker == "The captain"


def test_a_quotation_after_a_box_between_paragraphs_starts_a_statement() -> None:
    text = (
        "“The nets came up empty all week,” said Ada Lunde, a trawler captain.\n\n"
        "HARBOUR TIMELINE\n\n"
        "“We have never seen the bay like this. Not once in thirty years.”"
    )
    statements = extract_statements(text)
    assert all("TIMELINE" not in s.text for s in statements)


def test_a_paragraph_after_a_colon_is_what_was_written() -> None:
    text = (
        "In a statement issued late on Friday after its emergency meeting, the harbour board"
        " wrote:\n\n"
        "The pier will stay closed until the storm has passed and the divers have checked it.\n\n"
        "The ferry company said it would refund every ticket."
    )
    first, second = extract_statements(text)
    assert (
        first.text
        == "The pier will stay closed until the storm has passed and the divers have checked it"
    )
    assert first.speaker == "the harbour board"
    assert second.speaker == "The ferry company"


def test_a_colon_ending_a_claim_keeps_the_claim_in_its_paragraph() -> None:
    text = (
        "Berg pointed out that the fleet she has led since the spring of 2009 had shrunk by"
        " half:\n\n"
        "Twelve boats are left in the harbour this winter."
    )
    statement = _only(text)
    assert statement.text == "the fleet she has led since the spring of 2009 had shrunk by half"


def test_according_to_leaves_no_subject_fragment_behind() -> None:
    text = "The harbour board also said the pier would reopen, according to minutes of the meeting."
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["the pier would reopen"]
    assert statements[0].speaker == "The harbour board"


def test_an_infinitive_speech_verb_stays_inside_the_claim() -> None:
    text = "Berg replied that she needs no survey to tell her the harbour is too small."
    statement = _only(text)
    assert statement.text == "she needs no survey to tell her the harbour is too small"


def test_a_gerund_after_a_preposition_stays_inside_the_claim() -> None:
    text = "The skippers railed against the ministry for refusing to hear their case."
    statement = _only(text)
    assert statement.text == "the ministry for refusing to hear their case"


def test_added_before_a_noun_is_an_adjective() -> None:
    text = "The board revealed that the divers had asked for added security at the pier."
    statement = _only(text)
    assert statement.text == "the divers had asked for added security at the pier"


def test_a_headline_that_reports_speech_is_a_statement() -> None:
    text = (
        "Harbour chief says the ferry line will close;\n\n"
        "The harbour chief, Ada Lunde, told the council on Monday that the line loses money on"
        " every crossing and that no buyer had come forward."
    )
    first, second = extract_statements(text)
    assert first.text == "the ferry line will close"
    assert first.speaker == "Harbour chief"
    assert second.actor == "Ada Lunde"


def test_no_before_a_capital_ends_a_sentence_unless_a_number_follows() -> None:
    text = (
        "Asked if the ferry would run, the skipper said no. But she said the pier, No. 4, was safe."
    )
    statements = extract_statements(text)
    assert not any("But" in s.text for s in statements)
    assert statements[-1].text == "the pier, No. 4, was safe"
    assert statements[-1].speaker == "she"


def test_a_quotation_after_an_aside_goes_on_the_quoted_statement() -> None:
    text = (
        "“The nets have been empty all week,” Dahl said, adding that the fleet would stay in"
        " port. “Nobody goes out in this weather.”"
    )
    quoted, aside = extract_statements(text)
    assert quoted.text == text
    assert quoted.speaker == "Dahl"
    assert aside.text == "the fleet would stay in port"


def test_speech_in_an_opening_subordinate_clause_ends_at_the_main_clause() -> None:
    text = "While Dahl said that the quotas were fair, she appears uneasy about the new rules."
    statement = _only(text)
    assert statement.text == "the quotas were fair"


def test_an_editors_note_at_the_end_is_boilerplate() -> None:
    text = (
        "The harbour board met on Monday to discuss the pier and the ferry line and the"
        " dredging of the channel, which has been delayed twice this year.\n\n"
        "Dahl said the pier would reopen in May.\n\n"
        "Editor’s note: Dahl has repeatedly pledged to close the harbour to foreign boats."
    )
    statement = _only(text)
    assert statement.text == "the pier would reopen in May"


def test_a_quotation_after_reported_speech_in_its_paragraph_goes_on_it() -> None:
    text = "Dahl said the fleet was finished. “Nobody fishes here any more.”"
    statement = _only(text)
    assert statement.text == text[text.index("the fleet") :]
    assert statement.speaker == "Dahl"


def test_a_post_posed_attribution_leaves_no_subject_fragment_behind() -> None:
    text = "The harbour chief, Ada Dahl, said the pier would reopen, the Gazette reported."
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["the pier would reopen"]
    assert statements[0].speaker == "Ada Dahl"


def test_a_dateline_is_no_subject() -> None:
    text = (
        "OSLO (Harbour Wire) — The port council ended its meeting on Tuesday without agreeing"
        " on a statement calling for new quotas."
    )
    statement = _only(text)
    assert statement.speaker == "The port council"
    assert statement.text == "new quotas"


def test_a_subordinator_opening_the_sentence_is_no_speaker() -> None:
    text = "Where she used to boast that the fleet was thriving, on Tuesday she said it was lost."
    statements = extract_statements(text)
    assert statements
    assert all(s.speaker in {"she", "She"} for s in statements)


def test_pronoun_resolves_to_the_last_person() -> None:
    text = (
        'Prime Minister Elena Voss said the budget was balanced. "We kept every promise," she said.'
    )
    statements = extract_statements(text)
    assert [s.actor for s in statements] == ["Elena Voss", "Elena Voss"]
    assert statements[1].speaker == "she"


def test_surname_resolves_to_the_full_name_mentioned_earlier() -> None:
    text = (
        "Interior Minister Jonas Petrauskas visited the camp on Monday. "
        "Mr Petrauskas said the shelters were adequate."
    )
    (statement,) = extract_statements(text)
    assert statement.speaker == "Mr Petrauskas"
    assert statement.actor == "Jonas Petrauskas"


def test_coordinated_verbs_give_two_statements_by_one_speaker() -> None:
    text = "The envoy said the ceasefire held and said aid convoys would move at dawn."
    first, second = extract_statements(text)
    assert first.text == "the ceasefire held"
    assert second.text == "aid convoys would move at dawn"
    assert first.speaker == second.speaker == "The envoy"


def test_relative_clause_speaker_and_main_verb() -> None:
    text = (
        "Local doctors, who said supplies were running low, confirmed that two clinics had closed."
    )
    first, second = extract_statements(text)
    assert (first.speaker, first.text) == ("Local doctors", "supplies were running low")
    assert (second.speaker, second.text) == ("Local doctors", "two clinics had closed")


def test_nested_speech_stays_inside_its_statement() -> None:
    text = '"They keep saying we want a war," the minister said.'
    statement = _only(text)
    assert statement.cue == "said"
    assert statement.speaker == "the minister"


def test_quote_after_a_narrative_sentence_is_not_given_to_the_last_speaker() -> None:
    text = '"We are ready," the captain said. The crowd cheered. "Nobody leaves."'
    (statement,) = extract_statements(text)
    assert statement.text == '"We are ready,"'


def test_possessive_owner_is_not_the_speaker() -> None:
    text = "George W. Bush's old friend Walter Krane said the ranch was sold."
    statement = _only(text)
    assert statement.actor == "Walter Krane"
    assert statement.speaker == "George W. Bush's old friend Walter Krane"


def test_surname_label_given_in_full_later() -> None:
    text = (
        "Lindqvist: the harbour tax must go.\n\n"
        "The port director, Eva Lindqvist, spent the morning on the quay."
    )
    statement = _only(text)
    assert statement.speaker == "Lindqvist"
    assert statement.actor == "Eva Lindqvist"
    assert statement.text == "the harbour tax must go"


def test_place_label_is_no_speaker() -> None:
    assert extract_statements("Norway: the harbour tax must go.") == []


def test_a_quoted_paragraph_mentioning_a_newsletter_is_not_a_footer() -> None:
    text = (
        "The council met on Monday to discuss the harbour.\n\n"
        "The vote was close and the debate ran late into the evening.\n\n"
        '"We have a real problem with the dredging," said Ola Nordin, who runs a '
        "shipping newsletter.\n\n"
        "The mayor said the harbour would stay open all winter."
    )
    speakers = [s.speaker for s in extract_statements(text)]
    assert speakers == ["Ola Nordin", "The mayor"]


def test_a_colon_after_a_second_verb_belongs_to_that_verb() -> None:
    text = 'The pilot noted that the runway was short, and added: "We landed anyway."'
    first, second = extract_statements(text)
    assert first.text == "the runway was short"
    assert first.cue == "noted"
    assert second.text == '"We landed anyway."'
    assert second.cue == "added"


def test_a_heading_with_a_speaker_label_is_a_statement() -> None:
    # a headline without a full stop is furniture; its label still names a speaker
    text = (
        "Lindqvist: the harbour tax must go\n\n"
        "Eva Lindqvist spent the morning on the quay with the fishing crews."
    )
    statement = _only(text)
    assert statement.speaker == "Lindqvist"
    assert statement.text == "the harbour tax must go"


def test_a_heading_without_a_label_stays_furniture() -> None:
    text = "Harbour tax in doubt\n\nEva Lindqvist spent the morning on the quay."
    assert extract_statements(text) == []


def test_a_participle_opening_the_sentence_speaks_for_the_main_subject() -> None:
    text = "Noting that the pier is closed, Olsen said the ferry would use the north quay."
    statements = extract_statements(text)
    assert [(s.speaker, s.cue, s.text) for s in statements] == [
        ("Olsen", "Noting", "the pier is closed"),
        ("Olsen", "said", "the ferry would use the north quay"),
    ]


def test_the_actor_is_the_name_after_the_title() -> None:
    # not "Norwegian Prime Eva Lindqvist" or "State Eva Lindqvist"
    for text in (
        "Norwegian Prime Minister Eva Lindqvist said the harbour would stay open.",
        "Secretary of State Eva Lindqvist said the harbour would stay open.",
        "The Minister for Fisheries Eva Lindqvist said the harbour would stay open.",
    ):
        assert _only(text).actor == "Eva Lindqvist", text


def test_speech_in_a_relative_clause_is_not_given_to_the_sentence_subject() -> None:
    # the fishermen speak; with no noun phrase the rules can name, no statement beats a
    # statement by the mayor
    text = "The mayor is under fire from dozens of fishermen who say he sold the harbour."
    assert all(s.speaker != "The mayor" for s in extract_statements(text))


def test_a_colon_after_a_participle_belongs_to_the_participle() -> None:
    text = (
        "The harbour master declined to answer questions on the budget but said the quay was"
        " safe, adding: “We check it every week.”"
    )
    said = next(s for s in extract_statements(text) if s.cue == "said")
    assert said.text == "the quay was safe"
    assert said.speaker == "The harbour master"
    adding = next(s for s in extract_statements(text) if s.cue == "adding")
    assert adding.text == "“We check it every week.”"


def test_a_second_reported_clause_with_its_own_speaker_ends_the_first() -> None:
    text = (
        "Only 7 percent said they were undecided, 27 percent of those who named a skipper"
        " said they could change their minds."
    )
    first = extract_statements(text)[0]
    assert (first.speaker, first.text) == ("Only 7 percent", "they were undecided")
    assert any(s.text == "they could change their minds" for s in extract_statements(text))


def test_an_adjective_participle_after_and_stays_in_the_object() -> None:
    (statement,) = extract_statements(OBJECT_RUNS_ON)
    assert statement.text == "layoffs and continued cost-cutting at the quay"


def test_an_apposition_after_a_sentence_opening_verb_is_the_role() -> None:
    (statement,) = extract_statements("Said Ada Lunde, a trawler captain, “Nothing like it.”")
    assert statement.speaker == "Ada Lunde"
    assert statement.role == "a trawler captain"


def test_a_noun_form_after_a_determiner_and_a_noun_is_no_cue() -> None:
    text = "Ada Lunde, facing a hard vote in Tromso, a swing state, said she would back the ferry."
    (statement,) = extract_statements(text)
    assert statement.cue == "said"
    assert statement.text == "she would back the ferry"


def test_a_question_introduced_by_its_speaker_ends_the_sentence() -> None:
    # "“How big?” Pence asked." keeps its tail; an introduced question needs none
    text = "The skipper replied: “Why would we stay?” His crew said the season was over."
    first, second = extract_statements(text)
    assert (first.speaker, first.text) == ("The skipper", "“Why would we stay?”")
    assert (second.speaker, second.text) == ("His crew", "the season was over")


def test_a_name_given_in_a_relative_clause_is_a_statement_of_its_own() -> None:
    text = (
        "Lunde said the port needs a new quay, which she called “a matter of survival,” before"
        " winter."
    )
    statements = extract_statements(text)
    said = next(s for s in statements if s.cue == "said")
    assert said.text.startswith("the port needs a new quay, which she called")
    called = next(s for s in statements if s.cue == "called")
    assert called.text == "which she called “a matter of survival,”"
    assert called.speaker == "she"
    assert text[called.start : called.end] == called.text


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The skippers deplore what the mayor calls progress.", "what the mayor calls progress"),
        (
            "The harbour master, whom the board described as “a relic,” will go.",
            "whom the board described as “a relic,”",
        ),
    ],
)
def test_the_name_given_starts_at_the_relative_pronoun(text: str, content: str) -> None:
    assert content in [s.text for s in extract_statements(text)]


@pytest.mark.parametrize(
    "text",
    [
        "It was what is called a neap tide.",
        "The fund, which she called for last spring, is empty.",
    ],
)
def test_no_name_is_given_without_a_namer(text: str) -> None:
    # a passive has no one to give the name; "called for" is a demand, not a name
    assert not any(s.text.startswith(("what", "which")) for s in extract_statements(text))


@pytest.mark.parametrize(
    ("text", "noun_phrase"),
    [
        ("The row began even before he", False),
        ("the crew took", False),
        ("a source close to the talks", True),
        ("Harbour chief Ada May", True),
    ],
)
def test_irregular_past_tenses_are_no_part_of_a_speaker(text: str, noun_phrase: bool) -> None:
    from aggregator.extract.speakers import looks_like_np

    assert looks_like_np(text) is noun_phrase


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # an adverb after "which" is no namer: the antecedent speaks
        (
            "A harbour report, which also called the ferry plan a failure, was released.",
            "A harbour report",
            "the ferry plan a failure",
        ),
        # the name given ends before the main clause's next verb
        (
            "The skipper fought what he called a lie and walked out of the hall.",
            "he",
            "what he called a lie",
        ),
        # a plural subject before state/maintain: a verb, not a noun
        (
            "The police maintain that the skipper acted alone.",
            "The police",
            "the skipper acted alone",
        ),
        # the bare verb "help" is no causative: "the families we help say …"
        ("The families we help say the ferry works.", "The families we help", "the ferry works"),
        # "and" + verb without a comma inside a reported clause is the clause's own verb
        (
            "He said the ferry company lost money and went bankrupt in 2015.",
            "He",
            "the ferry company lost money and went bankrupt in 2015",
        ),
        # an apposition to the claim's subject is no comment on the claim
        (
            "He said the old ferry port, the sign of a healthy town, would expand.",
            "He",
            "the old ferry port, the sign of a healthy town, would expand",
        ),
        # a participle with an infinitive qualifies the noun: the whole phrase speaks
        (
            "A senior official authorized to speak on the matter said the quay would close.",
            "A senior official authorized to speak on the matter",
            "the quay would close",
        ),
    ],
)
def test_review_cases_of_the_fifth_round(text: str, speaker: str, content: str) -> None:
    statements = extract_statements(text)
    assert (speaker, content) in [(s.speaker, s.text) for s in statements]


@pytest.mark.parametrize(
    ("text", "role", "side"),
    [
        (
            "“The new front line,” said Jane Porter, head of the U.K.’s foreign intelligence "
            "agency, “is everywhere.”",
            "head of the U.K.’s foreign intelligence agency",
            "United Kingdom",
        ),
        (
            "The talks failed, said Tom Reed, the U.S. envoy to the region.",
            "the U.S. envoy to the region",
            "United States",
        ),
        (
            "The vote was close, said Ola Berg, a lecturer at the L.S.E.",
            "a lecturer at the L.S.E",
            None,
        ),
        (
            "The plan will fail, said Ari Stone, a press aide to George W. Bush.",
            "a press aide to George W. Bush",
            None,
        ),
        (
            "The plan will fail, said Ari Stone, a D.C.-based strategist.",
            "a D.C.-based strategist",
            None,
        ),
    ],
)
def test_an_inverted_speaker_s_role_keeps_its_initialisms(
    text: str, role: str, side: str | None
) -> None:
    (statement,) = extract_statements(text)
    assert (statement.role, statement.side) == (role, side)


def test_a_capital_letter_that_ends_a_sentence_ends_the_role_and_the_quotation() -> None:
    text = (
        "“We won the game fair and square,” said Jones, a driver for Team A. Rivals disagreed, "
        "“It was pure luck and nothing more.”"
    )
    first = extract_statements(text)[0]
    assert (first.speaker, first.text) == ("Jones", "“We won the game fair and square,”")
    (only,) = extract_statements(
        "“We won tonight,” said Jones, the manager of Plan B. Critics disagreed."
    )
    assert only.role == "the manager of Plan B"


def test_an_initialism_that_ends_a_sentence_ends_the_role_and_the_quotation() -> None:
    text = "“We are ready,” said Ahmed Ali, who lives in the U.S. He added: “We will fight on.”"
    first, *_ = extract_statements(text)
    assert (first.speaker, first.role, first.text) == (
        "Ahmed Ali",
        "who lives in the U.S",
        "“We are ready,”",
    )


def test_a_quotation_resumed_after_a_role_with_initialisms_is_one_statement() -> None:
    text = (
        "“The new front line,” said Jane Porter, head of the U.K.’s foreign intelligence "
        "agency, “is everywhere.”"
    )
    (statement,) = extract_statements(text)
    assert statement.text.endswith("“is everywhere.”")
