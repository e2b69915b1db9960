# Japanese text legitimately uses full-width punctuation that RUF001 mistakes for look-alikes
# of ASCII characters.
# ruff: noqa: RUF001
"""Texts of the demo discussions and reviews.

Threads belong to a course's primary subject, in the course's language, so a Linear Algebra
forum talks about matrices and never about thermodynamics. Reviews are composed per course:
an opening for the rating, a sentence about one of the course's own lessons and a closing, so
no two reviews read alike.

A thread is (title, opening post, replies); a reply is (author, body, nested replies), the
author "student", "staff" (an answer: the first one becomes the thread's answer) or "note" (a
word from the staff that answers nothing).
"""

import random

Thread = tuple[str, str, tuple]


def _question(title: str, opening: str, answer: str, thanks: str, aside: str) -> Thread:
    """A question the staff answer, with a thank-you under the answer and a learner's aside."""
    return (
        title,
        opening,
        (("staff", answer, (("student", thanks, ()),)), ("student", aside, ())),
    )


def _group(title: str, opening: str, reply: str, follow: str, nested: str, *notes: str) -> Thread:
    """Learners arranging something among themselves, with optional notes from the staff."""
    return (
        title,
        opening,
        (
            ("student", reply, ()),
            ("student", follow, (("student", nested, ()),)),
            *(("note", note, ()) for note in notes),
        ),
    )


# By (primary subject code, course language).
SUBJECT_THREADS: dict[tuple[str, str], tuple[Thread, ...]] = {
    ("MECH_THERMO", "en"): (
        _question(
            "Sign convention for work in the first law",
            "The lecture writes ΔU = Q − W but the textbook uses Q + W. Which one should we "
            "use in the problem sets?",
            "Both are fine as long as you say which one you use. In this course W is the work "
            "done by the system, so ΔU = Q − W.",
            "Thanks, that clears it up.",
            "I was confused by this too. The lecture notes have a table of both conventions.",
        ),
        _group(
            "Study group for the first-law problem sets",
            "Anyone want to meet in the library on Thursday evenings to go through the energy "
            "balance problems?",
            "Count me in. Room 2.14 is usually free after 6 pm.",
            "I can join from 7. Shall we start with the piston-cylinder problems?",
            "Good idea, see you there.",
            "Room 2.14 is booked for you on Thursdays from 6 to 8 pm; the details are on the "
            "course page, so I am closing this thread.",
        ),
    ),
    ("MECH_MEAS", "en"): (
        _question(
            "Combining uncertainties of the thermocouple and the logger",
            "Do we add the thermocouple's ±0.5 K and the logger's ±0.2 K, or combine them "
            "some other way?",
            "They are independent, so combine them in quadrature: √(0.5² + 0.2²) ≈ 0.54 K. "
            "Only add them when the errors are correlated.",
            "Got it, root-sum-square it is.",
            "The formula sheet has the general propagation formula if you need partial "
            "derivatives.",
        ),
        _group(
            "Sharing the DAQ rig for the conduction experiment",
            "Our group needs the rig for two hours. Can we set up a sign-up sheet for the week?",
            "Good idea, we would take Tuesday morning.",
            "We prefer Wednesday after lunch, if nobody has it yet.",
            "Wednesday is still free, it is yours.",
        ),
    ),
    ("MECH_THERMO_HEAT", "en"): (
        _question(
            "Contact resistance in the composite wall problem",
            "Problem 4 gives a contact resistance between the brick and the insulation. Is "
            "it added in series with the conduction resistances?",
            "Yes, it sits in series: R_total = L₁/(k₁A) + R_c/A + L₂/(k₂A). Watch the units of "
            "R_c, it is given per unit area.",
            "Thanks, I had forgotten to divide by the area.",
            "The thermal circuit drawing in the notes helped me here.",
        ),
        _group(
            "Reviewing radiation view factors together",
            "The view factor algebra is tricky. Anyone want to work through the enclosure "
            "problems on Sunday?",
            "Yes, I still struggle with the reciprocity rule.",
            "I can bring the old exam with the three-surface enclosure.",
            "Perfect, that one is exactly the kind I get wrong.",
        ),
    ),
    ("MATH_CALC", "en"): (
        _question(
            "When does L'Hôpital's rule apply?",
            "Can I use L'Hôpital's rule on lim (x→0) sin(x)/x, or is that circular?",
            "For this limit it is circular, because the derivative of sin uses that very "
            "limit. Use the squeeze theorem instead; L'Hôpital is fine for 0/0 forms later.",
            "That makes sense, thank you.",
            "The squeeze theorem proof with the unit circle is in the lecture notes.",
        ),
        _group(
            "Practising integration by parts",
            "Anyone up for a session on integration by parts before the quiz?",
            "Yes, the LIATE rule still confuses me.",
            "Let's do the ∫ x eˣ dx family first, then the tabular method.",
            "Sounds good, Monday after class?",
        ),
    ),
    ("MATH_LINALG", "en"): (
        _question(
            "Row echelon form versus reduced row echelon form",
            "In Gaussian elimination, do we have to go all the way to reduced row echelon "
            "form to read off the rank?",
            "No, the rank is the number of pivots, which you can already count in row "
            "echelon form. The reduced form is handy for writing down the solution set.",
            "Great, that saves me a few steps.",
            "I always check the rank with the number of non-zero rows, same thing.",
        ),
        _group(
            "Eigenvalue practice before the exam",
            "Who wants to practise diagonalisation and eigenvectors together this week?",
            "Me! Especially the repeated-eigenvalue cases.",
            "I can book a room on Wednesday. We could start with 2×2 matrices.",
            "Then 3×3 with a defective matrix, please.",
        ),
    ),
    ("CS_PROG_PYTHON", "en"): (
        _question(
            "Why does my default list argument keep its values?",
            "My function def add(item, items=[]) keeps the items from earlier calls. Is this "
            "a bug in Python?",
            "It is how Python works: the default is created once, when the function is "
            "defined. Use items=None and create a new list inside the function.",
            "Wow, I would never have guessed. Thanks!",
            "This one is also in the testing lecture, under surprising behaviour.",
        ),
        _group(
            "Pair programming for the dictionaries exercise",
            "Looking for a partner to do the word-count exercise with pytest. Anyone?",
            "I'm in. I still have trouble writing the tests first.",
            "Me too. Shall we meet in the lab on Friday?",
            "Friday works, bring your laptop charger.",
        ),
    ),
    ("CS_AI_ML", "en"): (
        _question(
            "Scaling features before or after the cross-validation split?",
            "Should I fit the StandardScaler on the whole data set and then do k-fold "
            "cross-validation?",
            "Fit it inside each fold, on the training part only; otherwise information from "
            "the validation fold leaks in. A scikit-learn Pipeline does this for you.",
            "Thanks, switching to a Pipeline now.",
            "Same goes for feature selection, I learned that the hard way.",
        ),
        _group(
            "Reading group on regularisation",
            "Anyone want to read the dropout and weight decay papers together before the lecture?",
            "Yes, I'd like to understand why dropout acts like an ensemble.",
            "Count me in. Tuesday evening online?",
            "Tuesday works, I'll share a link.",
        ),
    ),
    ("ELEC_EMBEDDED", "en"): (
        _question(
            "Interrupt priorities on the Cortex-M4",
            "Is a lower NVIC priority number a higher priority? My UART interrupt never "
            "pre-empts the timer.",
            "Yes, on Cortex-M a lower number means a higher priority, and only the "
            "implemented upper bits count. Give the UART a lower number than the timer.",
            "That was it, it pre-empts now.",
            "Also check that your RTOS calls are only made from interrupts below the syscall "
            "priority.",
        ),
        _group(
            "Borrowing logic analysers for the UART lab",
            "The lab has only four logic analysers. Can we share them in two-hour slots?",
            "Good plan, we'd take Monday afternoon.",
            "We'll take Thursday morning then.",
            "Thursday morning is fine with us too, let's share.",
        ),
    ),
    ("MECH_SOLIDS_STATICS", "de"): (
        _question(
            "Vorzeichenkonvention bei Schnittgrößen",
            "Im Skript zeigt die Querkraft am positiven Schnittufer nach unten, in der Übung "
            "nach oben. Welche Konvention gilt in der Klausur?",
            "Es gilt die Konvention aus dem Skript. Wichtig ist, dass Sie sie konsequent "
            "verwenden und im Freikörperbild einzeichnen.",
            "Danke, dann passe ich meine Lösung an.",
            "Im Skript gibt es dazu auf Seite 12 eine Skizze.",
        ),
        _group(
            "Lerngruppe zum Knotenpunktverfahren",
            "Hat jemand Lust, sich dienstags in der Bibliothek zu treffen und Fachwerke zu "
            "rechnen?",
            "Gerne, ich bin dabei.",
            "Ich komme auch. Fangen wir mit den Nullstäben an?",
            "Gute Idee, die übersehe ich immer.",
        ),
    ),
    ("MECH_FLUIDS", "de"): (
        _question(
            "Bernoulli-Gleichung mit Verlusten",
            "Darf ich die Bernoulli-Gleichung bei der Rohrleitung mit Krümmer noch verwenden?",
            "Ja, erweitert um den Verlustterm: Sie addieren ζ·ρv²/2 für jeden Krümmer auf "
            "der Seite stromabwärts.",
            "Danke, jetzt stimmt mein Ergebnis.",
            "Die ζ-Werte stehen in der Formelsammlung.",
        ),
        _group(
            "Altklausuren zur Strömungsmechanik",
            "Wer rechnet mit mir die Altklausuren zur Kontinuitätsgleichung durch?",
            "Ich, am liebsten donnerstags.",
            "Donnerstag passt mir auch. Raum 104?",
            "Raum 104 ist gut.",
        ),
    ),
    ("ELEC_SIGNALS", "de"): (
        _question(
            "Verschiebungssatz der Fourier-Transformation",
            "Wird bei einer Zeitverschiebung um t₀ der Betrag oder nur die Phase des "
            "Spektrums verändert?",
            "Nur die Phase: x(t − t₀) hat das Spektrum X(f)·e^(−j2πft₀). Der Betrag bleibt gleich.",
            "Danke, das ist einleuchtend.",
            "Die Tabelle der Korrespondenzen im Skript ist dafür sehr hilfreich.",
        ),
        _group(
            "Übungsgruppe zur Faltung",
            "Möchte jemand die Faltungsaufgaben gemeinsam grafisch lösen?",
            "Ja, die grafische Faltung fällt mir schwer.",
            "Ich bin dabei. Mittwoch nach der Vorlesung?",
            "Mittwoch passt.",
        ),
    ),
    ("ELEC_CONTROL", "de"): (
        _question(
            "Nyquist-Kriterium bei instabilem offenem Kreis",
            "Wie zähle ich die Umläufe um −1, wenn der offene Kreis einen Pol in der rechten "
            "Halbebene hat?",
            "Der geschlossene Kreis ist stabil, wenn die Ortskurve den Punkt −1 so oft "
            "gegen den Uhrzeigersinn umläuft, wie der offene Kreis instabile Pole hat.",
            "Danke, dann ist mein Beispiel stabil.",
            "Im Skript ist das mit einem Beispiel erklärt.",
        ),
        _group(
            "Lerngruppe zum PID-Regler",
            "Wer möchte die Simulation des Regelkreises gemeinsam vorbereiten?",
            "Gerne, vor allem die Einstellregeln nach Ziegler-Nichols.",
            "Ich auch. Treffen wir uns am Freitag?",
            "Freitag um zehn passt mir.",
        ),
    ),
    ("MECH_SOLIDS_STRENGTH", "pt"): (
        _question(
            "Dúvida sobre o módulo de elasticidade",
            "No exercício de tração, devo usar o módulo de elasticidade do aço em GPa ou em MPa?",
            "Tanto faz, desde que as unidades sejam coerentes: com tensões em MPa, use "
            "E = 200 000 MPa.",
            "Entendi, obrigado professor!",
            "Eu errei justamente nisso na lista passada.",
        ),
        _group(
            "Grupo de estudos de torção",
            "Vamos montar um grupo de estudos sobre torção em eixos? Sugiro quarta à tarde.",
            "Topo! Pode ser na sala de estudos do bloco C.",
            "Eu também. Começamos pelos eixos vazados?",
            "Boa, esses caem sempre na prova.",
        ),
    ),
    ("CIVIL_STRUCT", "pt"): (
        _question(
            "Carga distribuída triangular nas reações",
            "No exercício 3 a carga distribuída é triangular. Devo usar a resultante no "
            "centroide para calcular as reações?",
            "Sim, para as reações de apoio você pode usar a resultante aplicada no "
            "centroide. Para o diagrama de momento fletor, não.",
            "Entendi, obrigado professor!",
            "O centroide fica a um terço da base maior, para quem também esqueceu.",
        ),
        _group(
            "Grupo de estudos de análise matricial",
            "Alguém quer estudar a montagem da matriz de rigidez de pórticos juntos?",
            "Quero sim, sexta de manhã?",
            "Sexta de manhã é ótimo. Na biblioteca?",
            "Combinado, na biblioteca.",
        ),
    ),
    ("CS_ALGO", "pt"): (
        _question(
            "Complexidade da inserção em árvore binária de busca",
            "A inserção em árvore binária de busca é sempre O(log n)?",
            "Não: é O(h), a altura da árvore. Sem balanceamento, inserindo chaves em ordem, "
            "a altura chega a n. Por isso vemos árvores AVL.",
            "Faz sentido, obrigado!",
            "Dá para ver isso desenhando a árvore com chaves 1, 2, 3, 4.",
        ),
        _group(
            "Maratona de exercícios de grafos",
            "Vamos resolver juntos os exercícios de busca em largura e em profundidade?",
            "Topo, terça à noite.",
            "Eu também. Alguém traz os exercícios da olimpíada?",
            "Eu levo, tenho impressos.",
        ),
    ),
    ("CS_DATA", "pt"): (
        _question(
            "Tratamento de valores ausentes",
            "Na limpeza de dados, é melhor remover as linhas com valores ausentes ou "
            "imputar a média?",
            "Depende de quantos faltam e por quê. Se forem poucos e aleatórios, remover é "
            "aceitável; senão, imputar e registrar a decisão no relatório.",
            "Obrigada, vou documentar a escolha.",
            "A mediana costuma ser melhor que a média quando há outliers.",
        ),
        _group(
            "Grupo para o projeto de storytelling",
            "Alguém quer formar grupo para o projeto de visualização?",
            "Eu! Tenho um conjunto de dados de mobilidade urbana.",
            "Eu também topo. Reunião online no sábado?",
            "Sábado às dez, combinado.",
        ),
    ),
    ("MECH_SOLIDS_STRENGTH", "ja"): (
        _question(
            "熱応力の問題の単位について",
            "熱応力の答えは MPa で書くべきでしょうか、それとも N/mm² でしょうか。",
            "どちらでも構いません。1 MPa = 1 N/mm² です。単位を明記してください。",
            "ありがとうございます。",
            "線膨張係数の単位にも注意が必要ですね。",
        ),
        _group(
            "ねじりの演習を一緒に解きませんか",
            "木曜日の放課後に図書館で丸軸のねじりの過去問を解きませんか。",
            "参加します！",
            "私も行きます。中空軸の問題から始めましょう。",
            "いいですね、よろしくお願いします。",
        ),
    ),
    ("CS_ALGO", "ja"): (
        _question(
            "ヒープソートの計算量について",
            "ヒープの構築は O(n log n) ではなく O(n) と聞きましたが、本当ですか。",
            "はい。下から順にヒープ化すると全体で O(n) になります。ソート全体は O(n log n) です。",
            "なるほど、ありがとうございます。",
            "講義ノートの図を見ると分かりやすいです。",
        ),
        _group(
            "最短経路問題の勉強会",
            "ダイクストラ法の演習を一緒に解く勉強会をしませんか。",
            "ぜひ参加したいです。",
            "私も参加します。水曜日の昼休みはどうですか。",
            "水曜日で大丈夫です。",
        ),
    ),
}


# Reviews: an opening by rating, a sentence about one lesson by tone, a closing by tone.
def review_tone(rating: int) -> str:
    return "good" if rating >= 4 else "mixed" if rating == 3 else "poor"


REVIEW_OPENINGS: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {
        5: (
            "Excellent course.",
            "One of the best courses I have taken.",
            "I would recommend this course to anyone in the programme.",
        ),
        4: ("A well organised course with fair exams.", "Very good overall.", "I enjoyed it."),
        3: ("Solid content, uneven delivery.", "A decent course.", "Mixed feelings."),
        2: ("Disappointing.", "Not what I hoped for.", "Hard to follow at times."),
    },
    "de": {
        5: ("Hervorragende Veranstaltung.", "Eine der besten Vorlesungen.", "Sehr zu empfehlen."),
        4: ("Gut strukturiert.", "Insgesamt sehr gut.", "Hat mir gut gefallen."),
        3: ("Inhaltlich gut, didaktisch durchwachsen.", "Solide.", "Gemischte Eindrücke."),
        2: ("Leider enttäuschend.", "Nicht das, was ich erwartet hatte.", "Schwer zu folgen."),
    },
    "pt": {
        5: ("Disciplina excelente.", "Uma das melhores que cursei.", "Recomendo muito."),
        4: ("Muito boa.", "Bem organizada e com provas justas.", "Gostei bastante."),
        3: ("Conteúdo bom, ritmo irregular.", "Razoável.", "Sentimentos mistos."),
        2: ("Decepcionante.", "Não foi o que eu esperava.", "Difícil de acompanhar."),
    },
    "ja": {
        5: ("とても良い講義でした。", "これまでで最高の授業の一つです。", "強くおすすめします。"),
        4: ("よく構成された授業でした。", "全体的に満足です。", "楽しく学べました。"),
        3: ("内容は良いが、進め方にむらがありました。", "まずまずでした。", "評価は半々です。"),
        2: ("残念な授業でした。", "期待とは違いました。", "ついていくのが大変でした。"),
    },
}

REVIEW_LESSON: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "good": (
            "The unit on {lesson} finally made the theory click for me.",
            "The worked examples on {lesson} were the highlight.",
            "The problem set on {lesson} prepared me well for the exam.",
        ),
        "mixed": (
            "The pace around {lesson} was too fast for me.",
            "I needed more examples on {lesson}.",
            "The part on {lesson} was good, but rushed.",
        ),
        "poor": (
            "Feedback on the {lesson} assignment came very late.",
            "The material on {lesson} was confusing and never revisited.",
            "I still do not understand {lesson} after the course.",
        ),
    },
    "de": {
        "good": (
            "Das Kapitel {lesson} war besonders verständlich erklärt.",
            "Die Übungen zu {lesson} waren perfekt auf die Klausur abgestimmt.",
            "Bei {lesson} hat es bei mir endlich klick gemacht.",
        ),
        "mixed": (
            "Bei {lesson} war das Tempo zu hoch.",
            "Zu {lesson} hätte ich mir mehr Beispiele gewünscht.",
            "{lesson} kam leider etwas zu kurz.",
        ),
        "poor": (
            "Die Korrektur der Aufgaben zu {lesson} hat zu lange gedauert.",
            "{lesson} blieb für mich unverständlich.",
            "Das Material zu {lesson} war unübersichtlich.",
        ),
    },
    "pt": {
        "good": (
            "A parte de {lesson} foi muito bem explicada.",
            "Os exercícios de {lesson} prepararam bem para a prova.",
            "Entendi de verdade {lesson} graças às aulas.",
        ),
        "mixed": (
            "O ritmo em {lesson} foi puxado.",
            "Faltaram exemplos de {lesson}.",
            "{lesson} foi visto rápido demais.",
        ),
        "poor": (
            "O retorno da lista de {lesson} demorou bastante.",
            "O material de {lesson} estava confuso.",
            "Terminei sem entender {lesson}.",
        ),
    },
    "ja": {
        "good": (
            "「{lesson}」の回がとても分かりやすかったです。",
            "「{lesson}」の演習が試験対策に役立ちました。",
            "「{lesson}」でようやく理論が腑に落ちました。",
        ),
        "mixed": (
            "「{lesson}」の進度が少し速かったです。",
            "「{lesson}」の例題がもっと欲しかったです。",
            "「{lesson}」は駆け足でした。",
        ),
        "poor": (
            "「{lesson}」の課題のフィードバックが遅かったです。",
            "「{lesson}」の資料が分かりにくかったです。",
            "「{lesson}」は最後まで理解できませんでした。",
        ),
    },
}

REVIEW_CLOSINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "good": ("Thank you!", "Worth every credit.", "The labs were great too."),
        "mixed": ("Still worth taking.", "The instructor was helpful.", "Plan extra time."),
        "poor": ("I hope it improves.", "Needs more structure.", "The workload felt unfair."),
    },
    "de": {
        "good": ("Vielen Dank!", "Jede Stunde wert.", "Auch die Übungen waren top."),
        "mixed": ("Trotzdem empfehlenswert.", "Die Betreuung war gut.", "Mehr Zeit einplanen."),
        "poor": ("Hoffentlich wird es besser.", "Mehr Struktur wäre gut.", "Zu viel Aufwand."),
    },
    "pt": {
        "good": ("Obrigado!", "Valeu cada crédito.", "Os laboratórios também foram ótimos."),
        "mixed": ("Ainda assim vale a pena.", "O professor ajudou muito.", "Reserve tempo."),
        "poor": ("Espero que melhore.", "Falta organização.", "A carga foi pesada demais."),
    },
    "ja": {
        "good": ("ありがとうございました。", "受講して良かったです。", "実習も充実していました。"),
        "mixed": ("それでも受講する価値はあります。", "先生は親切でした。", "時間に余裕を。"),
        "poor": ("改善を期待します。", "構成を見直してほしいです。", "負担が大きすぎました。"),
    },
}

REVIEW_SEPARATOR = {"en": " ", "de": " ", "pt": " ", "ja": ""}

REVIEW_REPLY = {
    "en": "Thank you for the feedback on {lesson}. We are adding worked examples there and "
    "returning that assignment within a week next term.",
    "de": "Vielen Dank für die Rückmeldung zu {lesson}. Wir ergänzen dort Beispiele und "
    "korrigieren schneller.",
    "pt": "Obrigado pelo retorno sobre {lesson}! Vamos incluir mais exemplos e devolver a "
    "lista mais cedo no próximo semestre.",
    "ja": "「{lesson}」についてのご意見ありがとうございます。次学期は例題を増やし、"
    "フィードバックを早めます。",
}


def review_text(
    *, rng: random.Random, language: str, rating: int, lessons: list[str], used: set[str]
) -> tuple[str, str]:
    """(text, lesson) of a review nobody wrote yet: an opening for the rating, a sentence about
    one of the course's `lessons` and a closing, drawn among the combinations not in `used`
    (to which the text is added)."""
    tone, separator = review_tone(rating), REVIEW_SEPARATOR[language]
    fresh = [
        (text, lesson)
        for opening in REVIEW_OPENINGS[language][rating]
        for sentence in REVIEW_LESSON[language][tone]
        for closing in REVIEW_CLOSINGS[language][tone]
        for lesson in lessons
        if (text := separator.join((opening, sentence.format(lesson=lesson), closing))) not in used
    ]
    text, lesson = fresh[rng.randrange(len(fresh))]
    used.add(text)
    return text, lesson
