# Japanese text legitimately uses full-width punctuation and katakana that RUF001 mistakes
# for look-alikes of ASCII characters.
# ruff: noqa: RUF001
"""Texts of the demo content in each course language: module and item labels, transcripts,
reading texts, assignment instructions and term names (discussions and reviews are in
demo/community_phrases.py).

Placeholders: {course}, {chapter}, {lesson}.
"""

from datetime import date

LANGUAGES = ("en", "de", "pt", "ja")

UNIT_TITLE = {
    "en": "Unit {n}: {title}",
    "de": "Teil {n}: {title}",
    "pt": "Unidade {n}: {title}",
    "ja": "第{n}部 {title}",
}

# Titles of the modules and items the templates create, by their English title.
LABELS: dict[str, dict[str, str]] = {
    "de": {
        "Standard lesson": "Standardlektion",
        "Lab session": "Laborversuch",
        "Problem class": "Übungsstunde",
        "A lecture video, lecture notes with formulas and a figure, and a practice quiz.": (
            "Vorlesungsvideo, Skript mit Formeln und Abbildung sowie ein Übungsquiz."
        ),
        "A briefing, a coding lab graded by unit tests, and a lab report.": (
            "Einführung, ein mit Unit-Tests bewerteter Programmierversuch und ein Laborbericht."
        ),
        "Worked examples with a walkthrough video, then a graded problem set.": (
            "Beispielaufgaben mit Lösungsvideo und ein bewertetes Übungsblatt."
        ),
        "Review materials, a formula sheet and a practice exam.": (
            "Wiederholungsmaterial, Formelsammlung und eine Probeklausur."
        ),
        "Lecture": "Vorlesung",
        "Reading": "Skript",
        "Check your understanding": "Verständnisfragen",
        "Preparation": "Vorbereitung",
        "Lab": "Labor",
        "Lab report": "Laborbericht",
        "Worked examples": "Beispielaufgaben",
        "Problem set": "Übungsblatt",
        "Exam preparation": "Prüfungsvorbereitung",
        "Review session": "Wiederholung",
        "Practice exam": "Probeklausur",
        "Formula sheet": "Formelsammlung",
        "Lecture video": "Vorlesungsvideo",
        "Lecture notes": "Skript",
        "Practice quiz": "Übungsquiz",
        "Lab briefing": "Laboreinführung",
        "Lab notebook": "Laborumgebung",
        "Walkthrough video": "Lösungsvideo",
        "Further reading": "Weiterführende Literatur",
        "Review materials": "Wiederholungsmaterial",
        "Slides": "Folien",
        "Recorded lecture": "Vorlesungsaufzeichnung",
    },
    "pt": {
        "Standard lesson": "Aula padrão",
        "Lab session": "Aula de laboratório",
        "Problem class": "Aula de exercícios",
        "A lecture video, lecture notes with formulas and a figure, and a practice quiz.": (
            "Videoaula, notas de aula com fórmulas e figura e um quiz de fixação."
        ),
        "A briefing, a coding lab graded by unit tests, and a lab report.": (
            "Roteiro, um laboratório de programação avaliado por testes e um relatório."
        ),
        "Worked examples with a walkthrough video, then a graded problem set.": (
            "Exemplos resolvidos com vídeo de resolução e uma lista de exercícios avaliada."
        ),
        "Review materials, a formula sheet and a practice exam.": (
            "Material de revisão, formulário e um simulado."
        ),
        "Lecture": "Aula expositiva",
        "Reading": "Leitura",
        "Check your understanding": "Verifique seu entendimento",
        "Preparation": "Preparação",
        "Lab": "Laboratório",
        "Lab report": "Relatório de laboratório",
        "Worked examples": "Exemplos resolvidos",
        "Problem set": "Lista de exercícios",
        "Exam preparation": "Preparação para a prova",
        "Review session": "Revisão",
        "Practice exam": "Simulado",
        "Formula sheet": "Formulário",
        "Lecture video": "Videoaula",
        "Lecture notes": "Notas de aula",
        "Practice quiz": "Quiz de fixação",
        "Lab briefing": "Roteiro do laboratório",
        "Lab notebook": "Ambiente do laboratório",
        "Walkthrough video": "Vídeo de resolução",
        "Further reading": "Leituras complementares",
        "Review materials": "Material de revisão",
        "Slides": "Slides",
        "Recorded lecture": "Aula gravada",
    },
    "ja": {
        "Standard lesson": "標準授業",
        "Lab session": "実習授業",
        "Problem class": "演習授業",
        "A lecture video, lecture notes with formulas and a figure, and a practice quiz.": (
            "講義動画、数式と図を含む講義ノート、確認クイズ。"
        ),
        "A briefing, a coding lab graded by unit tests, and a lab report.": (
            "実習ガイド、単体テストで採点するプログラミング実習、実習レポート。"
        ),
        "Worked examples with a walkthrough video, then a graded problem set.": (
            "解説動画付きの例題と、採点される演習問題。"
        ),
        "Review materials, a formula sheet and a practice exam.": "復習資料、公式集、模擬試験。",
        "Lecture": "講義",
        "Reading": "講義ノート",
        "Check your understanding": "理解度チェック",
        "Preparation": "予習",
        "Lab": "実習",
        "Lab report": "実習レポート",
        "Worked examples": "例題",
        "Problem set": "演習問題",
        "Exam preparation": "試験対策",
        "Review session": "復習",
        "Practice exam": "模擬試験",
        "Formula sheet": "公式集",
        "Lecture video": "講義動画",
        "Lecture notes": "講義ノート",
        "Practice quiz": "確認クイズ",
        "Lab briefing": "実習ガイド",
        "Lab notebook": "実習環境",
        "Walkthrough video": "解説動画",
        "Further reading": "参考資料",
        "Review materials": "復習資料",
        "Slides": "スライド",
        "Recorded lecture": "講義録画",
    },
}


# Stand-ins for the course, chapter and lesson in the payloads of template stubs.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "en": {"course": "[Course]", "chapter": "[Chapter]", "lesson": "[Lesson]"},
    "de": {"course": "[Kurs]", "chapter": "[Kapitel]", "lesson": "[Thema]"},
    "pt": {"course": "[Disciplina]", "chapter": "[Capítulo]", "lesson": "[Aula]"},
    "ja": {"course": "[科目]", "chapter": "[章]", "lesson": "[テーマ]"},
}


def label(language: str, english: str) -> str:
    return LABELS.get(language, {}).get(english, english)


TRANSCRIPT: dict[str, tuple[str, ...]] = {
    "en": (
        "Welcome back to {course}.",
        "Today's topic is {lesson}.",
        "It builds directly on what we covered in {chapter}.",
        "We start with the key definitions and a short example on the board.",
        "Then we work through a typical exam problem step by step.",
        "Watch the assumptions we make along the way; most mistakes start there.",
        "At the end I summarise the three ideas you should take away.",
        "Pause the video whenever you want to try a step yourself.",
    ),
    "de": (
        "Willkommen zurück in {course}.",
        "Heute geht es um das Thema {lesson}.",
        "Es baut direkt auf dem Kapitel {chapter} auf.",
        "Wir beginnen mit den wichtigsten Definitionen und einem kurzen Beispiel an der Tafel.",
        "Danach rechnen wir eine typische Klausuraufgabe Schritt für Schritt durch.",
        "Achten Sie auf die Annahmen, die wir dabei treffen; dort entstehen die meisten Fehler.",
        "Zum Schluss fasse ich die drei wichtigsten Gedanken zusammen.",
        "Halten Sie das Video an, wenn Sie einen Schritt selbst versuchen möchten.",
    ),
    "pt": (
        "Bem-vindos de volta a {course}.",
        "O tema de hoje é {lesson}.",
        "Ele se apoia diretamente no que vimos em {chapter}.",
        "Começamos pelas definições principais e por um exemplo curto no quadro.",
        "Em seguida resolvemos passo a passo um problema típico de prova.",
        "Prestem atenção às hipóteses que fazemos; é aí que surgem os erros mais comuns.",
        "No final, resumo as três ideias que vocês devem levar desta aula.",
        "Pausem o vídeo sempre que quiserem tentar um passo sozinhos.",
    ),
    "ja": (
        "{course}の講義へようこそ。",
        "今回のテーマは「{lesson}」です。",
        "これは「{chapter}」で学んだ内容に直接つながります。",
        "まず重要な定義を確認し、簡単な例を板書で示します。",
        "次に、典型的な試験問題を一歩ずつ解いていきます。",
        "途中で置く仮定に注意してください。多くの間違いはそこから生じます。",
        "最後に、覚えておくべき三つのポイントをまとめます。",
        "自分で手を動かしたいときは、いつでも動画を止めてください。",
    ),
}

READING: dict[str, dict[str, str]] = {
    "en": {
        "intro": (
            "{lesson} is one of the central topics of {chapter}. These notes summarise the "
            "main ideas of the lecture and fix the notation we use in the problem sets."
        ),
        "formula": (
            "The key relation is given below. Make sure you can explain what every symbol "
            "means, in which units it is measured and under which assumptions the relation holds."
        ),
        "figure": "The figure shows a typical setting for {lesson}.",
        "closing": (
            "Before the next lecture, rework the examples without looking at the solutions "
            "and note down any step that is still unclear; we discuss them in the tutorial."
        ),
        "sheet": "The relations of {course} you may use in the exam, with their symbols.",
    },
    "de": {
        "intro": (
            "{lesson} ist eines der zentralen Themen des Kapitels {chapter}. Dieses Skript "
            "fasst die Kernaussagen der Vorlesung zusammen und legt die Bezeichnungen fest, "
            "die wir in den Übungen verwenden."
        ),
        "formula": (
            "Die wichtigste Beziehung steht unten. Sie sollten erklären können, was jedes "
            "Symbol bedeutet, in welcher Einheit es gemessen wird und unter welchen Annahmen "
            "die Beziehung gilt."
        ),
        "figure": "Die Abbildung zeigt eine typische Situation zum Thema {lesson}.",
        "closing": (
            "Rechnen Sie die Beispiele vor der nächsten Vorlesung ohne Lösung nach und notieren "
            "Sie Schritte, die noch unklar sind; wir besprechen sie in der Übung."
        ),
        "sheet": "Die Formeln aus {course}, die in der Klausur verwendet werden dürfen.",
    },
    "pt": {
        "intro": (
            "{lesson} é um dos temas centrais de {chapter}. Estas notas resumem as ideias "
            "principais da aula e fixam a notação usada nas listas de exercícios."
        ),
        "formula": (
            "A relação principal aparece abaixo. Você deve saber explicar o significado de cada "
            "símbolo, sua unidade de medida e as hipóteses sob as quais a relação vale."
        ),
        "figure": "A figura mostra uma situação típica de {lesson}.",
        "closing": (
            "Antes da próxima aula, refaça os exemplos sem olhar as soluções e anote os passos "
            "que ainda não estão claros; vamos discuti-los na monitoria."
        ),
        "sheet": "As fórmulas de {course} que podem ser usadas na prova.",
    },
    "ja": {
        "intro": (
            "「{lesson}」は「{chapter}」の中心的なテーマの一つです。このノートでは講義の要点を"
            "まとめ、演習で使う記号を定めます。"
        ),
        "formula": (
            "重要な関係式を以下に示します。各記号の意味と単位、そしてこの式が成り立つ仮定を"
            "説明できるようにしてください。"
        ),
        "figure": "図は「{lesson}」の典型的な状況を示しています。",
        "closing": (
            "次回の講義までに、解答を見ずに例題を解き直し、まだ分からない箇所をメモしておいて"
            "ください。演習の時間に取り上げます。"
        ),
        "sheet": "試験で使用できる{course}の公式です。",
    },
}

ASSIGNMENT: dict[str, dict[str, str]] = {
    "en": {
        "problems": (
            "Solve the problems on {lesson} from the problem set.\n"
            "Show every step of your work, state your assumptions and give results with units.\n"
            "Upload a single PDF, type your answers in the text field, or give the web "
            "address of your shared notebook."
        ),
        "report": (
            "Write a short technical report on the lab \u201c{lesson}\u201d: aim, method, "
            "results with uncertainties, and a discussion of at most one page.\n"
            "Attach your notebook or script."
        ),
    },
    "de": {
        "problems": (
            "Bearbeiten Sie die Aufgaben zum Thema {lesson} auf dem Übungsblatt.\n"
            "Geben Sie alle Rechenschritte und Annahmen an und nennen Sie Ergebnisse mit Einheit.\n"
            "Laden Sie eine PDF-Datei hoch, tragen Sie Ihre Lösung in das Textfeld ein oder "
            "geben Sie die Webadresse Ihres freigegebenen Notebooks an."
        ),
        "report": (
            "Schreiben Sie einen kurzen Laborbericht zum Versuch \u201e{lesson}\u201c: Ziel, "
            "Vorgehen, Ergebnisse mit Unsicherheiten und eine Diskussion von höchstens einer "
            "Seite.\nHängen Sie Ihr Skript an."
        ),
    },
    "pt": {
        "problems": (
            "Resolva os exercícios sobre {lesson} da lista.\n"
            "Mostre todos os passos, explicite as hipóteses e apresente os resultados com "
            "unidades.\nEnvie um único PDF, digite suas respostas no campo de texto ou informe o "
            "endereço web do seu notebook compartilhado."
        ),
        "report": (
            "Escreva um relatório técnico curto sobre o laboratório \u201c{lesson}\u201d: "
            "objetivo, método, resultados com incertezas e uma discussão de no máximo uma "
            "página.\nAnexe seu notebook."
        ),
    },
    "ja": {
        "problems": (
            "演習問題のうち「{lesson}」に関する問題を解きなさい。\n"
            "途中の計算と仮定をすべて示し、結果には単位を付けること。\n"
            "PDF ファイルを一つ提出するか、テキスト欄に解答を入力するか、共有ノートブックの"
            "URL を入力してください。"
        ),
        "report": (
            "実習「{lesson}」について、目的・方法・不確かさを含む結果・考察（1ページ以内）を"
            "まとめた短いレポートを作成しなさい。\nノートブックを添付すること。"
        ),
    },
}


def term_name(language: str, start: date) -> str:
    """The local name of the term an offering starting on `start` belongs to."""
    first_half = start.month <= 6
    year = start.year
    if language == "de":
        if first_half:
            return f"Sommersemester {year}"
        return f"Wintersemester {year}/{(year + 1) % 100:02d}"
    if language == "pt":
        return f"Semestre {year}.{1 if first_half else 2}"
    if language == "ja":
        return f"{year}年度 {'前期' if first_half else '後期'}"
    return f"{'Spring' if first_half else 'Fall'} {year}"
