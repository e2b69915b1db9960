"""Institutions, people, taxonomy, module templates and the asset library of the demo.

The course catalogue lives in demo/catalogue.py and the texts that depend on a course's
language in demo/phrases.py. Countries are not listed here: they come from pycountry.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import Asset
from content.services import asset_upload
from tenancy.models import Role

PASSWORD = "demo-pass-2026"
SEED = 2026


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    full_name: str
    department: str | None = None


# The known logins, all at the first university; the department admin's department owns the
# courses the instructor and the TA teach.
LOGINS: tuple[Login, ...] = (
    Login(Role.PLATFORM_ADMIN, "platform@demo.lms", "Alex Morgan"),
    Login(Role.UNIVERSITY_ADMIN, "uniadmin@demo.lms", "Jordan Blake"),
    Login(Role.DEPARTMENT_ADMIN, "deptadmin@demo.lms", "Priya Raman", "ME"),
    Login(Role.INSTRUCTOR, "instructor@demo.lms", "Helen Carter", "ME"),
    Login(Role.TA, "ta@demo.lms", "Marcus Lee", "ME"),
    Login(Role.STUDENT, "student@demo.lms", "Sam Rivera"),
)


@dataclass(frozen=True)
class UniversitySpec:
    code: str
    name: str
    country: str
    time_zone: str
    domain: str
    language: str
    locale: str
    departments: tuple[tuple[str, str], ...]
    # Staff besides the known logins: (full name, e-mail local part, role, department code).
    staff: tuple[tuple[str, str, str, str | None], ...]
    students: int

    @property
    def website_url(self) -> str:
        return f"https://www.{self.domain}"


UNIVERSITIES: tuple[UniversitySpec, ...] = (
    UniversitySpec(
        code="BSIT",
        name="Bay State Institute of Technology",
        country="US",
        time_zone="America/New_York",
        domain="bsit.example.edu",
        language="en",
        locale="en",
        departments=(
            ("ME", "Department of Mechanical Engineering"),
            ("MATH", "Department of Mathematics"),
            ("CS", "Department of Computer Science"),
        ),
        staff=(
            ("Robert Kline", "r.kline", Role.INSTRUCTOR, "MATH"),
            ("Angela Ortiz", "a.ortiz", Role.INSTRUCTOR, "CS"),
            ("David Okafor", "d.okafor", Role.INSTRUCTOR, "CS"),
            ("Emily Zhang", "e.zhang", Role.TA, "CS"),
            ("Thomas Reed", "t.reed", Role.DEPARTMENT_ADMIN, "CS"),
        ),
        students=14,
    ),
    UniversitySpec(
        code="TUR",
        name="Technische Universität Rheinland",
        country="DE",
        time_zone="Europe/Berlin",
        domain="tu-rheinland.example.edu",
        language="de",
        locale="de",
        departments=(
            ("MB", "Fakultät für Maschinenbau"),
            ("ETIT", "Fakultät für Elektrotechnik und Informationstechnik"),
        ),
        staff=(
            ("Sabine Krämer", "sabine.kraemer", Role.UNIVERSITY_ADMIN, None),
            ("Matthias Vogel", "matthias.vogel", Role.DEPARTMENT_ADMIN, "MB"),
            ("Klaus Bergmann", "klaus.bergmann", Role.INSTRUCTOR, "MB"),
            ("Andrea Lindner", "andrea.lindner", Role.INSTRUCTOR, "ETIT"),
            ("Jonas Hartmann", "jonas.hartmann", Role.TA, "ETIT"),
        ),
        students=12,
    ),
    UniversitySpec(
        code="UFPC",
        name="Universidade Federal do Planalto Central",
        country="BR",
        time_zone="America/Sao_Paulo",
        domain="ufpc.example.edu",
        language="pt",
        locale="pt-br",
        departments=(
            ("DEC", "Departamento de Engenharia Civil"),
            ("DCOMP", "Departamento de Computação"),
        ),
        staff=(
            ("Cláudia Nascimento", "claudia.nascimento", Role.UNIVERSITY_ADMIN, None),
            ("Ricardo Mendes", "ricardo.mendes", Role.INSTRUCTOR, "DEC"),
            ("Patrícia Moura", "patricia.moura", Role.INSTRUCTOR, "DCOMP"),
            ("Diego Farias", "diego.farias", Role.TA, "DCOMP"),
        ),
        students=12,
    ),
    UniversitySpec(
        code="KIST",
        name="Kansai Institute of Science and Technology",
        country="JP",
        time_zone="Asia/Tokyo",
        domain="kist.example.edu",
        language="ja",
        locale="ja",
        departments=(
            ("ME", "機械工学科"),
            ("IS", "情報科学科"),
        ),
        staff=(
            ("森 直樹", "n.mori", Role.UNIVERSITY_ADMIN, None),
            ("石川 裕子", "y.ishikawa", Role.INSTRUCTOR, "ME"),
            ("藤田 誠", "m.fujita", Role.INSTRUCTOR, "IS"),
            ("松本 彩", "a.matsumoto", Role.TA, "IS"),
        ),
        students=12,
    ),
)

# Given and family names by university language. Japanese names are (written, romanised);
# the romanised form makes the e-mail address.
# Given and family names by university language, separated by spaces. Japanese names are
# "written:romanised"; the romanised form makes the e-mail address.
GIVEN_NAMES: dict[str, str] = {
    "en": "Emma Liam Olivia Noah Ava Ethan Sophia Mason Isabella Lucas Mia Jackson Amelia Aiden "
    "Harper Elijah Grace Daniel Chloe Samuel Priya Wei Carlos Aaliyah Jamal Hannah",
    "de": "Lukas Leon Finn Jonas Paul Felix Maximilian Emilia Hannah Lea Sophie Marie Lena Anna "
    "Mia Jan Tobias Katharina Julia Jörg Özlem Niklas",
    "pt": "Ana João Maria Pedro Lucas Gabriel Juliana Beatriz Rafael Larissa Mateus Camila "
    "Gustavo Letícia Felipe Mariana Thiago Fernanda Bruno Aline",
    "ja": "陽翔:haruto 蓮:ren 湊:minato 大翔:hiroto 結衣:yui 陽菜:hina 葵:aoi 美咲:misaki "
    "翔太:shota さくら:sakura 健太:kenta 花子:hanako 悠真:yuma 凛:rin",
}
FAMILY_NAMES: dict[str, str] = {
    "en": "Johnson Williams Brown Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson "
    "Anderson Thomas Taylor Moore Nguyen Patel Kim Chen O'Connor Washington Cohen",
    "de": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
    "Richter Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Demir Kowalski",
    "pt": "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro "
    "Martins Carvalho Almeida Lopes Araújo Barbosa Rocha Cardoso",
    "ja": "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 伊藤:ito 渡辺:watanabe 山本:yamamoto "
    "中村:nakamura 小林:kobayashi 加藤:kato 吉田:yoshida 山田:yamada",
}

DOMAINS: tuple[tuple[str, str, str], ...] = (
    ("MATH", "Mathematics", "Pure and applied mathematics: analysis, algebra and statistics."),
    ("ENG", "Engineering", "The design and analysis of machines, structures and systems."),
    ("CS", "Computer Science", "Computation, algorithms, software and intelligent systems."),
    ("NSCI", "Natural Sciences", "Physics, chemistry and the other sciences of nature."),
)

# The subject tree, one subject a line: its code, two spaces, its name; indentation nests it.
# A top-level subject shares its code with its domain.
SUBJECT_TREE = """
MATH  Mathematics
  MATH_ANALYSIS  Analysis
    MATH_CALC  Calculus
      MATH_CALC_DIFF  Differential calculus
      MATH_CALC_INT  Integral calculus
    MATH_ODE  Ordinary differential equations
  MATH_ALGEBRA  Algebra
    MATH_LINALG  Linear algebra
      MATH_LINALG_EIGEN  Eigenvalue problems
  MATH_STATS  Probability and statistics
    MATH_STATS_INF  Statistical inference
ENG  Engineering
  ENG_MECH  Mechanical Engineering
    MECH_THERMO  Thermodynamics
      MECH_THERMO_HEAT  Heat transfer
      MECH_THERMO_CYCLES  Power and refrigeration cycles
    MECH_FLUIDS  Fluid mechanics
      MECH_FLUIDS_CFD  Computational fluid dynamics
    MECH_SOLIDS  Solid mechanics
      MECH_SOLIDS_STATICS  Statics
      MECH_SOLIDS_STRENGTH  Strength of materials
    MECH_MEAS  Measurement and instrumentation
  ENG_CIVIL  Civil Engineering
    CIVIL_STRUCT  Structural analysis
      CIVIL_STRUCT_MATRIX  Matrix methods of structural analysis
  ENG_ELEC  Electrical Engineering
    ELEC_SIGNALS  Signals and systems
      ELEC_SIGNALS_FOURIER  Fourier analysis
    ELEC_CONTROL  Control engineering
      ELEC_CONTROL_PID  PID control
    ELEC_EMBEDDED  Embedded systems
CS  Computer Science
  CS_PROG  Programming
    CS_PROG_PYTHON  Python programming
  CS_ALGO  Algorithms and data structures
    CS_ALGO_GRAPHS  Graph algorithms
    CS_ALGO_SORT  Sorting and searching
  CS_AI  Artificial intelligence
    CS_AI_ML  Machine learning
      CS_AI_ML_DL  Deep learning
    CS_AI_ROBOTICS  Robotics
  CS_DATA  Data science
    CS_DATA_VIS  Data visualisation
NSCI  Natural Sciences
  NSCI_PHYS  Physics
    PHYS_CLASSICAL  Classical mechanics
      PHYS_CLASSICAL_RIGID  Rigid body mechanics
    PHYS_THERMAL  Thermal physics
  NSCI_CHEM  Chemistry
    CHEM_PHYSICAL  Physical chemistry
"""


@dataclass(frozen=True)
class AssetSpec:
    key: str
    university: str | None
    asset_type: str
    file: str
    title: str
    alt: str
    author: str
    size: tuple[int, int] | None = None
    pages: int | None = None


_CC_BY = "CC BY 4.0"

ASSETS: tuple[AssetSpec, ...] = (
    AssetSpec(
        "unit-circle",
        None,
        "image",
        "img/unit-circle.svg",
        "The unit circle",
        "Unit circle with an angle theta, its sine on the vertical and cosine on the "
        "horizontal axis",
        "LMS Media Team",
        (480, 480),
    ),
    AssetSpec(
        "si-units",
        None,
        "image",
        "img/si-base-units.svg",
        "The seven SI base units",
        "Table of the seven SI base units: metre, kilogram, second, ampere, kelvin, "
        "mole and candela",
        "LMS Media Team",
        (640, 360),
    ),
    AssetSpec(
        "free-body",
        None,
        "image",
        "img/free-body-diagram.svg",
        "Free-body diagram",
        "A block on an inclined plane with its weight, the normal force and friction "
        "drawn as arrows",
        "LMS Media Team",
        (560, 400),
    ),
    AssetSpec(
        "integrity-guide",
        None,
        "pdf",
        "docs/academic-integrity-guide.pdf",
        "Academic integrity guide",
        "Academic integrity guide",
        "LMS Platform",
        pages=1,
    ),
    AssetSpec(
        "lab-safety",
        None,
        "pdf",
        "docs/lab-safety-rules.pdf",
        "Laboratory safety rules",
        "Laboratory safety rules",
        "LMS Platform",
        pages=1,
    ),
    AssetSpec(
        "pv-diagram",
        "BSIT",
        "image",
        "img/pv-diagram.svg",
        "Carnot cycle on a P-v diagram",
        "Pressure-volume diagram of a Carnot cycle with two isotherms and two adiabats",
        "BSIT Mechanical Engineering",
        (600, 420),
    ),
    AssetSpec(
        "neural-network",
        "BSIT",
        "image",
        "img/neural-network.svg",
        "A feed-forward neural network",
        "Three layers of circles joined by lines: four inputs, five hidden units, two outputs",
        "BSIT Computer Science",
        (600, 400),
    ),
    AssetSpec(
        "bsit-policies",
        "BSIT",
        "pdf",
        "docs/bsit-course-policies.pdf",
        "Course policies",
        "Course policies",
        "BSIT Office of the Provost",
        pages=1,
    ),
    AssetSpec(
        "bsit-steam-tables",
        "BSIT",
        "pdf",
        "docs/bsit-steam-tables.pdf",
        "Saturated steam tables",
        "Saturated steam tables",
        "BSIT Mechanical Engineering",
        pages=1,
    ),
    AssetSpec(
        "truss",
        "TUR",
        "image",
        "img/truss.svg",
        "Ebenes Fachwerk",
        "Ein ebenes Fachwerk mit sieben Stäben, einem Festlager und einem Loslager",
        "TU Rheinland, Fakultät für Maschinenbau",
        (640, 320),
    ),
    AssetSpec(
        "control-loop",
        "TUR",
        "image",
        "img/control-loop.svg",
        "Standardregelkreis",
        "Blockschaltbild eines Regelkreises mit Regler, Strecke und Rückführung",
        "TU Rheinland, Fakultät für Elektrotechnik",
        (640, 260),
    ),
    AssetSpec(
        "tur-formulas",
        "TUR",
        "pdf",
        "docs/tur-formelsammlung.pdf",
        "Formelsammlung Technische Mechanik",
        "Formelsammlung",
        "TU Rheinland",
        pages=1,
    ),
    AssetSpec(
        "tur-exam-rules",
        "TUR",
        "pdf",
        "docs/tur-pruefungsordnung.pdf",
        "Auszug aus der Prüfungsordnung",
        "Prüfungsordnung",
        "TU Rheinland",
        pages=1,
    ),
    AssetSpec(
        "stress-strain",
        "UFPC",
        "image",
        "img/stress-strain.svg",
        "Diagrama tensão-deformação",
        "Curva tensão-deformação de um aço com regiões elástica e plástica, "
        "limite de escoamento e ruptura",
        "UFPC, Engenharia Civil",
        (600, 400),
    ),
    AssetSpec(
        "binary-tree",
        "UFPC",
        "image",
        "img/binary-tree.svg",
        "Árvore binária de busca",
        "Árvore binária de busca com sete nós e a raiz 50",
        "UFPC, Computação",
        (560, 360),
    ),
    AssetSpec(
        "ufpc-profiles",
        "UFPC",
        "pdf",
        "docs/ufpc-tabela-perfis.pdf",
        "Tabela de perfis de aço",
        "Tabela de perfis",
        "UFPC, Engenharia Civil",
        pages=1,
    ),
    AssetSpec(
        "ufpc-rules",
        "UFPC",
        "pdf",
        "docs/ufpc-regulamento.pdf",
        "Regulamento da disciplina",
        "Regulamento",
        "UFPC",
        pages=1,
    ),
    AssetSpec(
        "bending-moment",
        "KIST",
        "image",
        "img/bending-moment.svg",
        "はりのせん断力図と曲げモーメント図",
        "集中荷重を受ける単純支持はりのせん断力図と曲げモーメント図",
        "KIST 機械工学科",
        (600, 420),
    ),
    AssetSpec(
        "shortest-path",
        "KIST",
        "image",
        "img/shortest-path.svg",
        "重み付きグラフと最短経路",
        "6つの頂点を持つ重み付きグラフ。最短経路が太線で示されている",
        "KIST 情報科学科",
        (560, 380),
    ),
    AssetSpec(
        "kist-syllabus",
        "KIST",
        "pdf",
        "docs/kist-syllabus.pdf",
        "シラバス",
        "シラバス",
        "KIST",
        pages=1,
    ),
    AssetSpec(
        "kist-formulas",
        "KIST",
        "pdf",
        "docs/kist-formula-sheet.pdf",
        "公式集",
        "公式集",
        "KIST 機械工学科",
        pages=1,
    ),
)


def asset_meta(spec: AssetSpec) -> dict:
    meta: dict = {"title": spec.title, "alt": spec.alt, "licence": _CC_BY, "author": spec.author}
    if spec.size:
        meta.update(width=spec.size[0], height=spec.size[1], mime_type="image/svg+xml")
    if spec.pages:
        meta.update(pages=spec.pages, mime_type="application/pdf")
    return meta


def asset_url(spec: AssetSpec) -> str:
    return f"/static/demo/{spec.file}"


LECTURE_VIDEO = "lecture-video"
# A three-second test pattern (H.264, 160x90, 7.6 KB) that every browser plays.
LECTURE_VIDEO_FILE = Path(__file__).resolve().parent / "fixtures" / "lecture.mp4"


def lecture_video() -> Asset | None:
    """The platform-wide lecture video of an earlier demo seed, if there is one."""
    found = Asset.objects.filter(university=None, meta_json__demo_key=LECTURE_VIDEO)
    return found.order_by("pk").first()


def lecture_video_upload() -> Asset:
    """The video the demo's self-hosted lectures play, uploaded to the platform-wide library
    through the same service staff use, so the player reaches it through the item."""
    return asset_upload(
        university_id=None,
        upload=SimpleUploadedFile(
            "lecture.mp4", LECTURE_VIDEO_FILE.read_bytes(), content_type="video/mp4"
        ),
        meta={
            "demo_key": LECTURE_VIDEO,
            "title": "Lecture recording",
            "alt": "A moving colour test pattern with a counter",
            "licence": _CC_BY,
            "author": "LMS Media Team",
        },
    )
