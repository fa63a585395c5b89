"""German: the words the shared constructions ask about (see lexicon.py).

Nouns are capitalised, so a role is any word ending in a role word ("Bundesaußenminister"),
a capitalised word mid-sentence is no verb, and one after an article is a noun, not a name.
Separable verbs are written ``particle|base`` ("teilte … mit").
"""

from aggregator.extract.languages.lexicon import build

LEXICON = build(
    "de",
    quotes='„“ ‚‘ »« “” ""',
    verbs="""
        sagen           say
        erklären        say
        betonen         say
        mit|teilen      say
        hinzu|fügen     say
        warnen          say
        versichern      say
        bekräftigen     say
        unterstreichen  say
        schreiben       say
        hervor|heben    say
        mahnen          say
        ergänzen        say
        antworten       say
        berichten       say
        äußern          say
        sprechen        clause
        an|kündigen     clause
        auf|fordern     clause to
        auf|rufen       clause to
        vor|werfen      clause
        ein|räumen      clause
        zurück|weisen   clause
        fordern         clause
        kritisieren     clause
        bestätigen      clause
        meinen          clause stance
    """,
    complementisers="dass",
    according="""
        laut
        nach Angaben
        nach Worten
        nach Ansicht
    """,
    according_after="zufolge",
    source_markers="so",
    as_words="wie",
    pronouns="er sie",
    source_pronouns="ihm ihr ihnen",
    roles="""
        minister ministerin kanzler kanzlerin präsident präsidentin sprecher sprecherin
        botschafter botschafterin generalsekretär chef chefin vorsitzende vorsitzender leiter
        leiterin beauftragte beauftragter diplomat diplomatin abgeordnete abgeordneter berater
        beraterin staatssekretär staatssekretärin kommissar kommissarin bürgermeister general
        premier premierminister regierungschef regierungschefin politiker politikerin
    """,
    compound_roles=True,
    people="""
        bewohner anwohner zeuge experte expertin analyst analystin politologe journalist
        beobachter quelle
    """,
    articles="""
        der die das des dem den ein eine einer eines einem einen einige mehrere
    """,
    indefinite="ein eine einer eines einem einen",
    bodies="""
        erklärung mitteilung regierung ministerium amt kreml kanzleramt uno nato eu
        botschaft bundestag kommission
        präsidialamt luftwaffe armee streitkräfte behörde agentur
    """,
    prepositions="""
        in im an am auf aus bei beim mit nach von vom zu zum zur für über unter vor hinter neben
        zwischen gegen ohne um durch seit während wegen
    """,
    of_words="von vom",
    function_words="""
        der die das des dem den ein eine einer eines einem einen und oder aber doch auch noch
        schon nicht kein keine sich es man wir ihr ihm ihn ihnen sein seine ihre dies diese
        dieser dieses diesem sehr so ob wenn weil als wie zudem jedoch dabei daher
    """,
    auxiliaries="haben sein werden",
    name_particles="von van der de",
    abbreviations="dr prof bzw usw etc ca vgl nr",
    comma_clause=True,
    speaker_inside_as=True,
    capitalised_nouns=True,
    infinitive_markers="zu",
    time_words="""
        montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april
        mai juni juli august september oktober november dezember gestern heute morgen abend
        woche wochenende
    """,
)
