"""Spanish: the words the shared constructions ask about (see lexicon.py).

Spanish drops a subject it has named before ("Afirmó que …"): a cue with no subject takes the
speaker before it.
"""

from aggregator.extract.languages.lexicon import build

LEXICON = build(
    "es",
    quotes='«» “” ""',
    verbs="""
        afirmar     say
        decir       say
        declarar    say
        asegurar    say
        explicar    say
        añadir      say
        agregar     say
        subrayar    say
        advertir    say
        insistir    say
        manifestar  say
        sostener    say
        recordar    say
        precisar    say
        reiterar    say
        responder   say
        comentar    say
        escribir    say
        remarcar    say
        enfatizar   say
        aseverar    say
        contar      clause
        prometer    say
        señalar     clause
        instar      clause to
        exhortar    clause to
        exigir      clause to
        acusar      clause to
        llamar      clause to
        destacar    clause
        indicar     clause
        apuntar     clause
        anunciar    clause
        reconocer   clause
        admitir     clause
        criticar    clause
        denunciar   clause
        confirmar   clause
        lamentar    clause
        defender    clause
        considerar  clause stance
        estimar     clause stance
    """,
    complementisers="que",
    according="""
        según
        de acuerdo con
        a juicio de
        en palabras de
    """,
    as_words="como",
    pronouns="él ella",
    plural_pronouns="ellos ellas",
    source_pronouns="él ella ellos ellas",
    roles="""
        ministro ministra portavoz presidente presidenta secretario secretaria general
        embajador embajadora canciller jefe jefa diplomático diplomática director directora
        representante comisionado comisario comisaria vicepresidente vicepresidenta primer
        consejero asesor asesora responsable diputado diputada senador senadora alcalde
        alcaldesa líder enviado enviada mandatario
    """,
    people="""
        vecino vecina habitante testigo experto experta analista politólogo periodista
        fuente observador
    """,
    articles="""
        el la los las un una unos unas varios varias algunos algunas
    """,
    indefinite="un una unos unas varios varias",
    bodies="""
        comunicado declaración gobierno ministerio moncloa kremlin onu otan ue embajada
        cancillería ejecutivo comisión
        consejo
    """,
    prepositions="""
        a al de del en con por para sin sobre entre tras desde hasta hacia ante contra durante
        bajo
    """,
    of_words="de del",
    function_words="""
        el la los las lo un una unos unas y e o u pero ni su sus este esta estos estas ese esa
        se le les no ya también muy más nos
    """,
    auxiliaries="haber",
    name_particles="der de del la da dos",
    abbreviations="sr sra srta dr dra ee uu",
    infinitive_markers="de a para",
    irregular_forms="""
        dicho       decir
        dicha       decir
        asegurado   asegurar
    """,
    time_words="""
        lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio
        julio agosto septiembre octubre noviembre diciembre ayer hoy mañana tarde noche semana
    """,
)
