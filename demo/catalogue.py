"""The demo course catalogue: courses with their outlines, prerequisites and teaching staff."""

from dataclasses import dataclass

from catalog.models import CourseLevel, PrerequisiteType

PAST, CURRENT, FUTURE = "past", "current", "future"


@dataclass(frozen=True)
class LabSpec:
    runtime: str
    image: str
    notebook: str
    max_points: int = 100


PYTHON_LAB = "registry.demo.lms/labs/python-datascience:2026.1"
MATLAB_LAB = "registry.demo.lms/labs/matlab:r2025b"


@dataclass(frozen=True)
class CourseSpec:
    university: str
    department: str
    code: str
    title: str
    level: str
    language: str
    credits: str | None
    subject: str
    extra_subjects: tuple[str, ...]
    description: str
    # Units, their chapters and the chapters' lessons, one a line, nested by indentation.
    outline: str
    formulas: tuple[str, ...]
    image: str
    handout: str
    links: tuple[tuple[str, str], ...]
    teachers: tuple[str, ...]
    assistants: tuple[str, ...] = ()
    lab: LabSpec | None = None
    published: bool = True
    phases: tuple[str, ...] = (PAST, CURRENT, FUTURE)
    visibility: str = "public"
    # Seats of the current offering; its extra applicants are waitlisted.
    capacity: int | None = None
    # New enrollments in the upcoming offering wait for a department admin.
    approval: bool = False


COURSES: tuple[CourseSpec, ...] = (
    CourseSpec(
        university="BSIT",
        department="ME",
        code="ME201",
        title="Thermodynamics I",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="4.00",
        subject="MECH_THERMO",
        extra_subjects=("PHYS_THERMAL", "MECH_THERMO_CYCLES"),
        description=(
            "An introduction to classical engineering thermodynamics. Students learn to model "
            "closed systems and control volumes, evaluate properties of pure substances from "
            "steam tables and the ideal-gas model, and apply the first law of thermodynamics "
            "to work and heat interactions. The second half of the course develops the second "
            "law, entropy and isentropic efficiencies, and applies them to heat engines, "
            "refrigerators and the Carnot cycle. Weekly problem sets and two laboratory "
            "sessions connect the theory to real power and refrigeration equipment."
        ),
        outline="""
Energy and the First Law
  Systems, properties and states
    Thermodynamic systems and control volumes
  The first law for closed systems
    Energy balances for closed systems
Entropy and the Second Law
  The second law
    Heat engines and refrigerators
  Entropy
    Isentropic processes and efficiencies
""",
        formulas=(
            r"\Delta U = Q - W",
            r"W_b = \int_{V_1}^{V_2} P \, dV",
            r"\eta_{\mathrm{Carnot}} = 1 - \frac{T_L}{T_H}",
            r"\Delta S = \int_1^2 \frac{\delta Q}{T} + S_{\mathrm{gen}}",
        ),
        image="pv-diagram",
        handout="bsit-steam-tables",
        links=(
            (
                "First law of thermodynamics",
                "https://en.wikipedia.org/wiki/First_law_of_thermodynamics",
            ),
            (
                "OpenStax University Physics, Volume 2",
                "https://openstax.org/details/books/university-physics-volume-2",
            ),
        ),
        teachers=("instructor@demo.lms",),
        assistants=("ta@demo.lms",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/ideal_gas_cycles.ipynb"),
    ),
    CourseSpec(
        university="BSIT",
        department="ME",
        code="ME215",
        title="Thermal Measurements Laboratory",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="1.00",
        subject="MECH_MEAS",
        extra_subjects=("MECH_THERMO",),
        description=(
            "A hands-on laboratory taken alongside Thermodynamics I. Students calibrate "
            "thermocouples and pressure transducers, design data acquisition pipelines, and "
            "quantify measurement uncertainty. Experiments include transient conduction in a "
            "rod, heat flux sensing and flow-rate measurement with Pitot tubes. Every "
            "experiment ends with a short technical report written to professional standards."
        ),
        outline="""
Measurement fundamentals
  Uncertainty and calibration
    Sources of measurement error
  Data acquisition
    Building a data acquisition pipeline
Thermal experiments
  Temperature and heat flux
    Transient conduction in a rod
  Flow and pressure
    Measuring flow rate
""",
        formulas=(
            r"u_c = \sqrt{\sum_i \left(\frac{\partial f}{\partial x_i} u_{x_i}\right)^2}",
            r"f_s > 2 f_{\max}",
            r"V = \sqrt{\frac{2 (p_0 - p)}{\rho}}",
        ),
        image="pv-diagram",
        handout="lab-safety",
        links=(
            (
                "NIST guide to uncertainty in measurement",
                "https://www.nist.gov/pml/nist-technical-note-1297",
            ),
        ),
        teachers=("instructor@demo.lms",),
        assistants=("ta@demo.lms",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/thermocouple_calibration.ipynb"),
        phases=(PAST, CURRENT),
    ),
    CourseSpec(
        university="BSIT",
        department="ME",
        code="ME310",
        title="Heat Transfer",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="3.00",
        subject="MECH_THERMO_HEAT",
        extra_subjects=("MECH_FLUIDS",),
        description=(
            "Fundamentals of conduction, convection and radiation heat transfer with "
            "engineering applications. Topics include steady and transient conduction, "
            "thermal resistance networks, extended surfaces and fins, lumped capacitance, "
            "forced and natural convection correlations, boundary layers, blackbody radiation "
            "and radiative exchange between surfaces. Students solve design problems for heat "
            "exchangers and electronics cooling using analytical and numerical methods."
        ),
        outline="""
Conduction
  Steady conduction
    Fourier's law and thermal resistance
  Transient conduction
    Semi-infinite solids
Convection and radiation
  Convection
    Boundary layers
  Radiation
    View factors and radiation exchange
""",
        formulas=(
            r"q'' = -k \frac{dT}{dx}",
            r"\dot{Q} = h A (T_s - T_\infty)",
            r"\mathrm{Bi} = \frac{h L_c}{k}",
            r"E_b = \sigma T^4",
        ),
        image="pv-diagram",
        handout="bsit-steam-tables",
        links=(("Heat transfer", "https://en.wikipedia.org/wiki/Heat_transfer"),),
        teachers=("instructor@demo.lms",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/fin_temperature_profile.ipynb"),
        approval=True,
    ),
    CourseSpec(
        university="BSIT",
        department="ME",
        code="ME-CFD",
        title="Applied Computational Fluid Dynamics",
        level=CourseLevel.CERTIFICATE,
        language="en",
        credits="2.00",
        subject="MECH_FLUIDS_CFD",
        extra_subjects=("MECH_FLUIDS", "MATH_ODE"),
        description=(
            "A professional certificate for practising engineers who use CFD software. The "
            "program reviews the governing conservation laws, the finite volume method and "
            "meshing strategies, then turns to turbulence modelling with RANS closures and "
            "wall functions. Participants learn to run grid convergence studies and to "
            "validate simulations against experimental data before trusting their results."
        ),
        outline="""
Foundations
  Governing equations
    Conservation laws in integral form
  Discretisation
    Meshing strategies
Practice
  Turbulence modelling
    RANS models
  Verification and validation
    Comparing with experiments
""",
        formulas=(
            r"\frac{\partial \rho}{\partial t} + \nabla \cdot (\rho \mathbf{u}) = 0",
            r"\rho \frac{D\mathbf{u}}{Dt} = -\nabla p + \mu \nabla^2 \mathbf{u} + \rho \mathbf{g}",
            r"y^+ = \frac{u_\tau y}{\nu}",
        ),
        image="free-body",
        handout="lab-safety",
        links=(
            (
                "Computational fluid dynamics",
                "https://en.wikipedia.org/wiki/Computational_fluid_dynamics",
            ),
        ),
        teachers=("instructor@demo.lms",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/lid_driven_cavity.ipynb"),
        published=False,
        phases=(FUTURE,),
        visibility="private",
    ),
    CourseSpec(
        university="BSIT",
        department="MATH",
        code="MATH101",
        title="Calculus I",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="4.00",
        subject="MATH_CALC",
        extra_subjects=("MATH_CALC_DIFF", "MATH_CALC_INT"),
        description=(
            "Limits, continuity, derivatives and integrals of functions of one variable. "
            "Students learn the rules of differentiation, apply derivatives to rates of change, "
            "optimisation and curve sketching, and develop the definite integral from Riemann "
            "sums to the fundamental theorem of calculus. Techniques of integration include "
            "substitution and integration by parts. The course prepares engineering and "
            "science majors for linear algebra and differential equations."
        ),
        outline="""
Limits and derivatives
  Limits
    The limit of a function
  Derivatives
    Differentiation rules
Integrals
  The definite integral
    Riemann sums
  Techniques of integration
    Integration by parts
""",
        formulas=(
            r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}",
            r"\int_a^b f(x)\,dx = F(b) - F(a)",
            r"\int u \, dv = uv - \int v \, du",
        ),
        image="unit-circle",
        handout="bsit-policies",
        links=(
            ("OpenStax Calculus, Volume 1", "https://openstax.org/details/books/calculus-volume-1"),
        ),
        teachers=("r.kline@bsit.example.edu",),
        assistants=("e.zhang@bsit.example.edu",),
    ),
    CourseSpec(
        university="BSIT",
        department="MATH",
        code="MATH210",
        title="Linear Algebra",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="3.00",
        subject="MATH_LINALG",
        extra_subjects=("MATH_LINALG_EIGEN",),
        description=(
            "Systems of linear equations, Gaussian elimination, matrix algebra and inverses, "
            "vector spaces, subspaces, bases and dimension, rank and nullity, determinants, "
            "eigenvalues and eigenvectors, and diagonalisation. Applications include "
            "least-squares fitting, Markov chains and the analysis of mechanical vibrations. "
            "Computational exercises use Python and NumPy."
        ),
        outline="""
Linear systems and matrices
  Linear systems
    Gaussian elimination
  Matrix algebra
    Inverse matrices
Vector spaces and eigenvalues
  Vector spaces
    Subspaces and bases
  Eigenvalues
    Diagonalisation
""",
        formulas=(
            r"A\mathbf{x} = \mathbf{b}",
            r"\det(A - \lambda I) = 0",
            r"\operatorname{rank}(A) + \operatorname{nullity}(A) = n",
            r"A = P D P^{-1}",
        ),
        image="unit-circle",
        handout="bsit-policies",
        links=(
            (
                "MIT OpenCourseWare 18.06 Linear Algebra",
                "https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/",
            ),
        ),
        teachers=("r.kline@bsit.example.edu",),
    ),
    CourseSpec(
        university="BSIT",
        department="CS",
        code="CS101",
        title="Introduction to Programming in Python",
        level=CourseLevel.UNDERGRADUATE,
        language="en",
        credits="3.00",
        subject="CS_PROG_PYTHON",
        extra_subjects=("CS_PROG",),
        description=(
            "A first course in programming for students with no prior experience. Using "
            "Python, students learn variables, expressions, conditionals, loops and functions, "
            "then work with lists, dictionaries and files. Emphasis is on writing small, "
            "readable programs, testing them and debugging them systematically. Weekly "
            "programming labs run in the browser, and a final project analyses a real data set."
        ),
        outline="""
Programming basics
  Values and control flow
    Variables and expressions
  Functions
    Testing your code
Working with data
  Collections
    Lists and dictionaries
  Files and modules
    Using the standard library
""",
        formulas=(
            r"T(n) = \sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
            r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i",
        ),
        image="neural-network",
        handout="bsit-policies",
        links=(("The Python Tutorial", "https://docs.python.org/3/tutorial/"),),
        teachers=("a.ortiz@bsit.example.edu",),
        assistants=("e.zhang@bsit.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/word_frequencies.ipynb"),
    ),
    CourseSpec(
        university="BSIT",
        department="CS",
        code="CS540",
        title="Machine Learning",
        level=CourseLevel.GRADUATE,
        language="en",
        credits="3.00",
        subject="CS_AI_ML",
        extra_subjects=("CS_AI_ML_DL", "MATH_STATS"),
        description=(
            "A graduate introduction to statistical machine learning. Linear and logistic "
            "regression, regularisation, the bias-variance trade-off and cross-validation "
            "lead to support vector machines, kernel methods, decision trees and ensembles. "
            "The last third covers neural networks, backpropagation and regularisation of "
            "deep models. Students implement algorithms from scratch in Python labs and "
            "complete a research-style project with a written report."
        ),
        outline="""
Supervised learning
  Linear models
    Linear regression
  Model selection
    Cross-validation
Beyond linear models
  Kernel methods and trees
    Support vector machines
  Neural networks
    Regularisation in deep networks
""",
        formulas=(
            r"\hat{\beta} = (X^\top X)^{-1} X^\top y",
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\mathcal{L}(\theta) = -\sum_i y_i \log \hat{y}_i",
            r"\theta \leftarrow \theta - \eta \nabla_\theta \mathcal{L}",
        ),
        image="neural-network",
        handout="bsit-policies",
        links=(("scikit-learn user guide", "https://scikit-learn.org/stable/user_guide.html"),),
        teachers=("d.okafor@bsit.example.edu",),
        assistants=("e.zhang@bsit.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/logistic_regression.ipynb"),
        capacity=6,
        approval=True,
        visibility="private",
    ),
    CourseSpec(
        university="TUR",
        department="MB",
        code="MB-1010",
        title="Technische Mechanik I: Statik",
        level=CourseLevel.UNDERGRADUATE,
        language="de",
        credits="5.00",
        subject="MECH_SOLIDS_STATICS",
        extra_subjects=("PHYS_CLASSICAL_RIGID",),
        description=(
            "Die Vorlesung führt in die Statik starrer Körper ein. Behandelt werden Kräfte "
            "und Momente, das Freischneiden und das Aufstellen von Freikörperbildern, die "
            "Gleichgewichtsbedingungen in der Ebene und im Raum sowie die Berechnung von "
            "Lagerreaktionen. Anschließend werden ebene Fachwerke mit dem Knotenpunktverfahren "
            "und dem Ritterschen Schnittverfahren berechnet und die Schnittgrößen an Balken "
            "unter Einzel- und Streckenlasten ermittelt. Wöchentliche Übungen vertiefen den Stoff."
        ),
        outline="""
Grundlagen der Statik
  Kräfte und Momente
    Kräfte und ihre Zerlegung
  Gleichgewicht
    Gleichgewichtsbedingungen in der Ebene
Tragwerke
  Fachwerke
    Knotenpunktverfahren
  Balken
    Streckenlasten
""",
        formulas=(
            r"\sum F_x = 0, \quad \sum F_y = 0, \quad \sum M_A = 0",
            r"M = F \cdot a",
            r"\frac{dQ}{dx} = -q(x), \quad \frac{dM}{dx} = Q(x)",
        ),
        image="truss",
        handout="tur-formulas",
        links=(
            (
                "Technische Mechanik (Wikipedia)",
                "https://de.wikipedia.org/wiki/Technische_Mechanik",
            ),
        ),
        teachers=("klaus.bergmann@tu-rheinland.example.edu",),
    ),
    CourseSpec(
        university="TUR",
        department="MB",
        code="MB-2040",
        title="Strömungsmechanik",
        level=CourseLevel.UNDERGRADUATE,
        language="de",
        credits="5.00",
        subject="MECH_FLUIDS",
        extra_subjects=("NSCI_PHYS",),
        description=(
            "Grundlagen der Mechanik der Flüssigkeiten und Gase: Hydrostatik und Auftrieb, "
            "Kinematik von Strömungen, Kontinuitätsgleichung, Bernoulli-Gleichung und "
            "Impulssatz. Die Anwendungen reichen vom Venturi-Rohr und Pitot-Rohr bis zur "
            "Auslegung von Rohrleitungen mit laminarer und turbulenter Strömung und der "
            "Berechnung von Druckverlusten. Im Laborteil werten die Studierenden Messreihen "
            "mit MATLAB aus."
        ),
        outline="""
Hydrostatik und Kinematik
  Hydrostatik
    Druckverteilung in ruhenden Fluiden
  Kinematik
    Kontinuitätsgleichung
Dynamik der Strömungen
  Bernoulli-Gleichung
    Herleitung der Bernoulli-Gleichung
  Rohrströmungen
    Druckverluste in Rohrleitungen
""",
        formulas=(
            r"p + \frac{\rho}{2} v^2 + \rho g z = \mathrm{const}",
            r"\dot{m} = \rho A v = \mathrm{const}",
            r"\mathrm{Re} = \frac{v d}{\nu}",
            r"\Delta p = \lambda \frac{L}{d} \frac{\rho}{2} v^2",
        ),
        image="truss",
        handout="tur-formulas",
        links=(
            (
                "Strömungsmechanik (Wikipedia)",
                "https://de.wikipedia.org/wiki/Str%C3%B6mungsmechanik",
            ),
        ),
        teachers=("klaus.bergmann@tu-rheinland.example.edu",),
        lab=LabSpec("matlab", MATLAB_LAB, "labor/rohrstroemung.mlx"),
    ),
    CourseSpec(
        university="TUR",
        department="ETIT",
        code="ETIT-2000",
        title="Signale und Systeme",
        level=CourseLevel.UNDERGRADUATE,
        language="de",
        credits="6.00",
        subject="ELEC_SIGNALS",
        extra_subjects=("ELEC_SIGNALS_FOURIER", "MATH_ANALYSIS"),
        description=(
            "Beschreibung zeitkontinuierlicher und zeitdiskreter Signale und linearer "
            "zeitinvarianter Systeme. Die Studierenden lernen Faltung, Fourier-Reihen und "
            "Fourier-Transformation, Impulsantwort und Übertragungsfunktion sowie die "
            "Stabilität von LTI-Systemen kennen. Das Abtasttheorem bildet den Übergang zur "
            "digitalen Signalverarbeitung."
        ),
        outline="""
Zeitkontinuierliche Signale
  Signale
    Elementare Signale
  Fourier-Transformation
    Eigenschaften der Fourier-Transformation
Systeme
  LTI-Systeme
    Impulsantwort und Übertragungsfunktion
  Abtastung
    Zeitdiskrete Signale
""",
        formulas=(
            r"y(t) = (x * h)(t) = \int_{-\infty}^{\infty} x(\tau) h(t - \tau) \, d\tau",
            r"X(j\omega) = \int_{-\infty}^{\infty} x(t) e^{-j\omega t} \, dt",
            r"f_a > 2 f_g",
        ),
        image="control-loop",
        handout="tur-exam-rules",
        links=(
            (
                "Fourier-Transformation (Wikipedia)",
                "https://de.wikipedia.org/wiki/Fourier-Transformation",
            ),
        ),
        teachers=("andrea.lindner@tu-rheinland.example.edu",),
        assistants=("jonas.hartmann@tu-rheinland.example.edu",),
        lab=LabSpec("matlab", MATLAB_LAB, "labor/faltung.mlx"),
    ),
    CourseSpec(
        university="TUR",
        department="ETIT",
        code="ETIT-3100",
        title="Regelungstechnik",
        level=CourseLevel.UNDERGRADUATE,
        language="de",
        credits="5.00",
        subject="ELEC_CONTROL",
        extra_subjects=("ELEC_CONTROL_PID", "MATH_ODE"),
        description=(
            "Modellbildung dynamischer Systeme mit Differentialgleichungen und der "
            "Laplace-Transformation, elementare Übertragungsglieder und Blockschaltbilder. "
            "Die Stabilität von Regelkreisen wird mit dem Nyquist-Kriterium und im "
            "Bode-Diagramm beurteilt. Im zweiten Teil entwerfen die Studierenden PID-Regler, "
            "stellen sie nach Ziegler-Nichols ein und simulieren den geschlossenen Regelkreis."
        ),
        outline="""
Modellbildung
  Dynamische Systeme
    Differentialgleichungen technischer Systeme
  Übertragungsglieder
    Blockschaltbilder
Reglerentwurf
  Stabilität von Regelkreisen
    Das Nyquist-Kriterium
  PID-Regler
    Simulation eines Regelkreises
""",
        formulas=(
            r"G(s) = \frac{Y(s)}{U(s)}",
            r"u(t) = K_P e(t) + K_I \int_0^t e(\tau) \, d\tau + K_D \frac{de}{dt}",
            r"G_w(s) = \frac{G_R G_S}{1 + G_R G_S}",
        ),
        image="control-loop",
        handout="tur-exam-rules",
        links=(("Regelungstechnik (Wikipedia)", "https://de.wikipedia.org/wiki/Regelungstechnik"),),
        teachers=("andrea.lindner@tu-rheinland.example.edu",),
        assistants=("jonas.hartmann@tu-rheinland.example.edu",),
        lab=LabSpec("matlab", MATLAB_LAB, "labor/pid_regler.mlx"),
    ),
    CourseSpec(
        university="TUR",
        department="ETIT",
        code="ETIT-M400",
        title="Embedded Systems Design",
        level=CourseLevel.GRADUATE,
        language="en",
        credits="6.00",
        subject="ELEC_EMBEDDED",
        extra_subjects=("CS_PROG",),
        description=(
            "An English-taught master's course on the design of embedded systems. Students "
            "study ARM Cortex-M microcontrollers, memory-mapped peripherals, interrupts and "
            "real-time scheduling with an RTOS, and write device drivers behind a hardware "
            "abstraction layer. Testing strategies range from unit tests on the host to "
            "hardware-in-the-loop rigs. A team project delivers a working sensor node."
        ),
        outline="""
Hardware platforms
  Microcontrollers
    The ARM Cortex-M architecture
  Real-time constraints
    Scheduling with an RTOS
Software engineering for embedded systems
  Drivers and hardware abstraction
    Writing a UART driver
  Testing
    Hardware-in-the-loop testing
""",
        formulas=(
            r"U = \sum_{i=1}^{n} \frac{C_i}{T_i} \le n \left(2^{1/n} - 1\right)",
            r"t_{\mathrm{baud}} = \frac{1}{9600} \, \mathrm{s}",
        ),
        image="control-loop",
        handout="tur-exam-rules",
        links=(("Zephyr Project documentation", "https://docs.zephyrproject.org/latest/"),),
        teachers=("andrea.lindner@tu-rheinland.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/rate_monotonic.ipynb"),
        phases=(CURRENT, FUTURE),
        approval=True,
    ),
    CourseSpec(
        university="UFPC",
        department="DEC",
        code="DEC101",
        title="Resistência dos Materiais I",
        level=CourseLevel.UNDERGRADUATE,
        language="pt",
        credits="4.00",
        subject="MECH_SOLIDS_STRENGTH",
        extra_subjects=("CIVIL_STRUCT",),
        description=(
            "Estudo do comportamento de elementos estruturais submetidos a esforços. A "
            "disciplina apresenta os conceitos de tensão normal e de cisalhamento, deformação "
            "específica, o diagrama tensão-deformação e a lei de Hooke. Em seguida são "
            "analisadas a torção de eixos circulares e a flexão de vigas, com o cálculo de "
            "tensões e deformações para o dimensionamento de peças de aço e de concreto."
        ),
        outline="""
Tensão e deformação
  Conceitos fundamentais
    Tensão normal e de cisalhamento
  Propriedades mecânicas
    Lei de Hooke
Solicitações
  Torção
    Torção em eixos circulares
  Flexão
    Tensões de cisalhamento na flexão
""",
        formulas=(
            r"\sigma = \frac{N}{A}",
            r"\sigma = E \varepsilon",
            r"\tau = \frac{T \rho}{J}",
            r"\sigma = -\frac{M y}{I}",
        ),
        image="stress-strain",
        handout="ufpc-profiles",
        links=(
            (
                "Resistência dos materiais (Wikipédia)",
                "https://pt.wikipedia.org/wiki/Resist%C3%AAncia_dos_materiais",
            ),
        ),
        teachers=("ricardo.mendes@ufpc.example.edu",),
    ),
    CourseSpec(
        university="UFPC",
        department="DEC",
        code="DEC305",
        title="Análise Estrutural",
        level=CourseLevel.UNDERGRADUATE,
        language="pt",
        credits="4.00",
        subject="CIVIL_STRUCT",
        extra_subjects=("CIVIL_STRUCT_MATRIX", "MATH_LINALG"),
        description=(
            "Análise de estruturas isostáticas e hiperestáticas: diagramas de esforços em "
            "vigas e pórticos planos, treliças pelo método dos nós e das seções, grau de "
            "hiperestaticidade, método das forças e método dos deslocamentos. A disciplina "
            "termina com a análise matricial de pórticos, implementada pelos alunos em Python."
        ),
        outline="""
Estruturas isostáticas
  Vigas e pórticos
    Diagramas de esforços
  Treliças
    Método das seções
Estruturas hiperestáticas
  Método das forças
    Grau de hiperestaticidade
  Método dos deslocamentos
    Análise matricial de pórticos
""",
        formulas=(
            r"g = r + b - 2n",
            r"\mathbf{K} \mathbf{u} = \mathbf{F}",
            r"\delta_{10} + \delta_{11} X_1 = 0",
        ),
        image="stress-strain",
        handout="ufpc-profiles",
        links=(
            (
                "Análise estrutural (Wikipédia)",
                "https://pt.wikipedia.org/wiki/An%C3%A1lise_estrutural",
            ),
        ),
        teachers=("ricardo.mendes@ufpc.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/portico_matricial.ipynb"),
    ),
    CourseSpec(
        university="UFPC",
        department="DCOMP",
        code="DCOMP210",
        title="Estruturas de Dados",
        level=CourseLevel.UNDERGRADUATE,
        language="pt",
        credits="4.00",
        subject="CS_ALGO",
        extra_subjects=("CS_ALGO_SORT", "CS_ALGO_GRAPHS"),
        description=(
            "Tipos abstratos de dados e suas implementações: listas encadeadas, pilhas, filas, "
            "árvores binárias de busca, árvores AVL, tabelas hash e grafos. Os alunos aprendem "
            "a analisar a complexidade de algoritmos com notação assintótica e recorrências e "
            "implementam as estruturas em laboratórios de programação semanais."
        ),
        outline="""
Estruturas lineares
  Listas
    Listas encadeadas
  Análise de algoritmos
    Análise de recorrências
Estruturas não lineares
  Árvores
    Árvores binárias de busca
  Hashing e grafos
    Busca em largura e em profundidade
""",
        formulas=(
            r"T(n) = 2T(n/2) + O(n) \Rightarrow T(n) = O(n \log n)",
            r"h \le 1.44 \log_2(n + 2)",
            r"\alpha = \frac{n}{m}",
        ),
        image="binary-tree",
        handout="ufpc-rules",
        links=(
            ("Estrutura de dados (Wikipédia)", "https://pt.wikipedia.org/wiki/Estrutura_de_dados"),
        ),
        teachers=("patricia.moura@ufpc.example.edu",),
        assistants=("diego.farias@ufpc.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/arvore_avl.ipynb"),
        capacity=5,
    ),
    CourseSpec(
        university="UFPC",
        department="DCOMP",
        code="DCOMP-E01",
        title="Especialização em Ciência de Dados",
        level=CourseLevel.POSTGRADUATE,
        language="pt",
        credits="12.00",
        subject="CS_DATA",
        extra_subjects=("MATH_STATS_INF", "CS_DATA_VIS", "CS_AI_ML"),
        description=(
            "Curso de especialização lato sensu para profissionais que desejam aplicar ciência "
            "de dados no trabalho. Inclui estatística descritiva e inferencial, manipulação e "
            "limpeza de dados com pandas, regressão linear e árvores de decisão, visualização "
            "de dados e comunicação de resultados. O trabalho de conclusão analisa um conjunto "
            "de dados real de uma organização parceira."
        ),
        outline="""
Fundamentos
  Estatística para ciência de dados
    Estatística descritiva
  Manipulação de dados
    Limpeza de dados
Modelagem
  Aprendizado supervisionado
    Regressão linear
  Comunicação de resultados
    Storytelling com dados
""",
        formulas=(
            r"\bar{x} \pm t_{\alpha/2} \frac{s}{\sqrt{n}}",
            r"R^2 = 1 - \frac{\sum (y_i - \hat{y}_i)^2}{\sum (y_i - \bar{y})^2}",
        ),
        image="binary-tree",
        handout="ufpc-rules",
        links=(("Documentação do pandas", "https://pandas.pydata.org/docs/"),),
        teachers=("patricia.moura@ufpc.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/limpeza_de_dados.ipynb"),
        phases=(PAST, CURRENT),
        approval=True,
        visibility="private",
    ),
    CourseSpec(
        university="KIST",
        department="ME",
        code="ME1001",
        title="材料力学",
        level=CourseLevel.UNDERGRADUATE,
        language="ja",
        credits="2.00",
        subject="MECH_SOLIDS_STRENGTH",
        extra_subjects=("MECH_SOLIDS",),
        description=(
            "機械や構造物を安全に設計するための基礎として、部材に生じる応力とひずみを学ぶ。"
            "フックの法則、引張と圧縮、熱応力を扱った後、丸軸のねじりと動力伝達軸の設計、"
            "はりのせん断力図と曲げモーメント図、曲げ応力を学ぶ。毎回の演習問題で計算力を養う。"
        ),
        outline="""
応力とひずみ
  基礎
    応力とひずみの定義
  軸荷重
    熱応力
はりとねじり
  ねじり
    丸軸のねじり
  はりの曲げ
    曲げ応力
""",
        formulas=(
            r"\sigma = E \varepsilon",
            r"\sigma_T = E \alpha \Delta T",
            r"\tau_{\max} = \frac{16 T}{\pi d^3}",
            r"\sigma = \frac{M}{Z}",
        ),
        image="bending-moment",
        handout="kist-formulas",
        links=(
            (
                "材料力学 (Wikipedia)",
                "https://ja.wikipedia.org/wiki/%E6%9D%90%E6%96%99%E5%8A%9B%E5%AD%A6",
            ),
        ),
        teachers=("y.ishikawa@kist.example.edu",),
    ),
    CourseSpec(
        university="KIST",
        department="IS",
        code="IS2001",
        title="アルゴリズムとデータ構造",
        level=CourseLevel.UNDERGRADUATE,
        language="ja",
        credits="2.00",
        subject="CS_ALGO",
        extra_subjects=("CS_ALGO_SORT", "CS_ALGO_GRAPHS"),
        description=(
            "効率的なプログラムを設計するための基本的なアルゴリズムとデータ構造を学ぶ。"
            "オーダー記法による計算量の評価、再帰と分割統治、クイックソートやマージソートなどの"
            "整列アルゴリズム、二分探索木と平衡木、グラフの表現と最短経路問題を扱う。"
            "Python による実習で理解を深める。"
        ),
        outline="""
基本的なアルゴリズム
  計算量
    オーダー記法
  整列
    マージソートとヒープソート
データ構造
  木構造
    二分探索木
  グラフ
    最短経路問題
""",
        formulas=(
            r"T(n) = a T(n/b) + f(n)",
            r"O(n \log n)",
            r"d(v) = \min_{(u,v) \in E} \left( d(u) + w(u, v) \right)",
        ),
        image="shortest-path",
        handout="kist-syllabus",
        links=(
            (
                "アルゴリズム (Wikipedia)",
                "https://ja.wikipedia.org/wiki/%E3%82%A2%E3%83%AB%E3%82%B4%E3%83%AA%E3%82%BA%E3%83%A0",
            ),
        ),
        teachers=("m.fujita@kist.example.edu",),
        assistants=("a.matsumoto@kist.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/dijkstra.ipynb"),
    ),
    CourseSpec(
        university="KIST",
        department="IS",
        code="IS-OC1",
        title="Robotics with ROS 2",
        level=CourseLevel.OTHER,
        language="en",
        credits=None,
        subject="CS_AI_ROBOTICS",
        extra_subjects=("ELEC_EMBEDDED",),
        description=(
            "An open, non-credit course that teaches the Robot Operating System (ROS 2) by "
            "building a small mobile robot in simulation. Participants write nodes, topics and "
            "services, simulate the robot in Gazebo, visualise sensor data in RViz, process "
            "LiDAR scans and camera images, build maps with SLAM and plan paths with Nav2."
        ),
        outline="""
Getting started
  ROS 2 fundamentals
    Nodes, topics and services
  Simulation
    Visualising with RViz
Autonomy
  Perception
    Working with LiDAR data
  Navigation
    Path planning with Nav2
""",
        formulas=(
            r"\begin{pmatrix} x' \\ y' \end{pmatrix} = \begin{pmatrix} \cos\theta & -\sin\theta "
            r"\\ \sin\theta & \cos\theta \end{pmatrix} \begin{pmatrix} x \\ y \end{pmatrix}",
            r"\dot{x} = v \cos\theta, \quad \dot{y} = v \sin\theta, \quad \dot{\theta} = \omega",
        ),
        image="shortest-path",
        handout="lab-safety",
        links=(("ROS 2 documentation", "https://docs.ros.org/en/rolling/"),),
        teachers=("m.fujita@kist.example.edu",),
        lab=LabSpec("python-datascience", PYTHON_LAB, "notebooks/odometry.ipynb"),
        published=False,
        phases=(FUTURE,),
    ),
)

# (course, prerequisite, kind); both courses always belong to one university.
PREREQUISITES: tuple[tuple[str, str, str], ...] = (
    ("ME201", "MATH101", PrerequisiteType.STRICT),
    ("ME215", "ME201", PrerequisiteType.CO_REQUISITE),
    ("ME310", "ME201", PrerequisiteType.STRICT),
    ("ME310", "MATH210", PrerequisiteType.RECOMMENDED),
    ("ME-CFD", "ME310", PrerequisiteType.RECOMMENDED),
    ("MATH210", "MATH101", PrerequisiteType.STRICT),
    ("CS540", "MATH210", PrerequisiteType.STRICT),
    ("CS540", "CS101", PrerequisiteType.RECOMMENDED),
    ("MB-2040", "MB-1010", PrerequisiteType.STRICT),
    ("ETIT-3100", "ETIT-2000", PrerequisiteType.STRICT),
    ("ETIT-3100", "MB-1010", PrerequisiteType.RECOMMENDED),
    ("DEC305", "DEC101", PrerequisiteType.STRICT),
    ("DCOMP-E01", "DCOMP210", PrerequisiteType.RECOMMENDED),
    ("IS-OC1", "IS2001", PrerequisiteType.RECOMMENDED),
)

# What the known student takes, by course code and phase.
KNOWN_STUDENT_ENROLLMENTS: tuple[tuple[str, str, str], ...] = (
    ("MATH101", PAST, "completed"),
    ("ME201", CURRENT, "active"),
    ("MATH210", CURRENT, "active"),
    ("CS540", CURRENT, "waitlisted"),
    ("ME310", FUTURE, "pending"),
    ("CS101", PAST, "dropped"),
)
