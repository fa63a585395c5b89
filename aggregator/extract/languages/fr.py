"""French: the words the shared constructions ask about (see lexicon.py)."""

from aggregator.extract.languages.lexicon import build

LEXICON = build(
    "fr",
    quotes='«» “” „“ ""',
    verbs="""
        déclarer    say
        affirmer    say
        dire        say
        souligner   say
        ajouter     say
        expliquer   say
        assurer     say
        préciser    say
        rappeler    say
        avertir     say
        prévenir    say
        insister    say
        répondre    say
        confier     say
        marteler    say
        lancer      say
        écrire      say
        répéter     say
        poursuivre  say
        conclure    say
        promettre   say
        plaider     say
        indiquer    clause
        appeler     clause to
        exhorter    clause to
        exiger      clause to
        accuser     clause to
        annoncer    clause
        dénoncer    clause
        regretter   clause
        reconnaître clause
        confirmer   clause
        déplorer    clause
        admettre    clause
        noter       clause
        observer    clause
        fustiger    clause
        estimer     clause stance
        juger       clause stance
        considérer  clause stance
    """,
    complementisers="que qu",
    according="""
        selon
        d'après
        à en croire
        de l'avis de
    """,
    as_words="comme",
    pronouns="il elle",
    plural_pronouns="ils elles",
    source_pronouns="lui elle eux elles",
    roles="""
        ministre chef président présidente porte-parole ambassadeur ambassadrice secrétaire
        diplomate conseiller conseillère premier première directeur directrice responsable
        représentant représentante haut-représentant commissaire chancelier chancelière député
        sénateur maire général générale dirigeant dirigeante envoyé envoyée émissaire
        négociateur vice-président homologue patron
    """,
    people="""
        habitant témoin expert analyste politologue journaliste source observateur chercheur
    """,
    articles="""
        le la les l un une des plusieurs certains certaines
    """,
    indefinite="un une des plusieurs",
    bodies="""
        communiqué déclaration ministère gouvernement élysée kremlin quai matignon ambassade
        onu otan ue commission
        présidence état-major armée
    """,
    prepositions="""
        à au aux de du des d en dans sur sous avec pour par chez vers entre contre après avant
        depuis pendant lors devant derrière
    """,
    of_words="de du des d",
    function_words="""
        le la les l un une et ou mais donc or ni car ce cette ces cet son sa ses leur leurs qui
        dont où ne n pas plus aussi déjà encore très bien tout tous toute toutes y se s lui eux
        c t on nous vous je j
    """,
    auxiliaries="avoir être",
    name_particles="der de du des d la le van von da di",
    abbreviations="m mm mme mmes dr st etc",
    infinitive_markers="de d à pour sans",
    irregular_forms="""
        estime      estimer
        estiment    estimer
        martelé     marteler
        martèle     marteler
    """,
    time_words="""
        lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
        juillet août septembre octobre novembre décembre hier aujourd'hui matin soir semaine
        soirée
    """,
)
