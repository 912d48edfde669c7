"""Word lists of the generated data (manage.py seed_scale, and bench/): cities, concepts in
three languages (same index, same concept), adjectives, title and summary patterns. Plain
data, importable without Django."""

# (city, country, regional section, latitude, longitude, time zone)
CITIES = [
    ("Dakar", "SN", "africa", 14.69, -17.44, "Africa/Dakar"),
    ("Nairobi", "KE", "africa", -1.29, 36.82, "Africa/Nairobi"),
    ("Rabat", "MA", "africa", 34.02, -6.84, "Africa/Casablanca"),
    ("Abidjan", "CI", "africa", 5.36, -4.01, "Africa/Abidjan"),
    ("Kigali", "RW", "africa", -1.95, 30.06, "Africa/Kigali"),
    ("Durban", "ZA", "africa", -29.86, 31.02, "Africa/Johannesburg"),
    ("Jakarta", "ID", "asia-pacific", -6.2, 106.85, "Asia/Jakarta"),
    ("Manila", "PH", "asia-pacific", 14.6, 120.98, "Asia/Manila"),
    ("Yokohama", "JP", "asia-pacific", 35.44, 139.64, "Asia/Tokyo"),
    ("Melbourne", "AU", "asia-pacific", -37.81, 144.96, "Australia/Melbourne"),
    ("Pune", "IN", "asia-pacific", 18.52, 73.86, "Asia/Kolkata"),
    ("Kazan", "RU", "eurasia", 55.79, 49.12, "Europe/Moscow"),
    ("Almaty", "KZ", "eurasia", 43.24, 76.89, "Asia/Almaty"),
    ("Tbilisi", "GE", "eurasia", 41.72, 44.79, "Asia/Tbilisi"),
    ("Lyon", "FR", "europe", 45.76, 4.84, "Europe/Paris"),
    ("Barcelona", "ES", "europe", 41.39, 2.17, "Europe/Madrid"),
    ("Bologna", "IT", "europe", 44.49, 11.34, "Europe/Rome"),
    ("Porto", "PT", "europe", 41.15, -8.61, "Europe/Lisbon"),
    ("Utrecht", "NL", "europe", 52.09, 5.12, "Europe/Amsterdam"),
    ("Ghent", "BE", "europe", 51.05, 3.72, "Europe/Brussels"),
    ("Bogotá", "CO", "latin-america", 4.71, -74.07, "America/Bogota"),
    ("Medellín", "CO", "latin-america", 6.24, -75.58, "America/Bogota"),
    ("Curitiba", "BR", "latin-america", -25.43, -49.27, "America/Sao_Paulo"),
    ("Rosario", "AR", "latin-america", -32.95, -60.64, "America/Argentina/Cordoba"),
    ("Quito", "EC", "latin-america", -0.18, -78.47, "America/Guayaquil"),
    ("Mérida", "MX", "latin-america", 20.97, -89.62, "America/Merida"),
    ("Amman", "JO", "mewa", 31.95, 35.93, "Asia/Amman"),
    ("Gaziantep", "TR", "mewa", 37.07, 37.38, "Europe/Istanbul"),
    ("Beirut", "LB", "mewa", 33.89, 35.5, "Asia/Beirut"),
    ("Montréal", "CA", "north-america", 45.5, -73.57, "America/Toronto"),
    ("Portland", "US", "north-america", 45.52, -122.68, "America/Los_Angeles"),
    ("Québec", "CA", "north-america", 46.81, -71.21, "America/Toronto"),
]
# Concepts in three languages (same index = same concept): the searched words.
TOPICS = [
    ("water", "eau", "agua"),
    ("mobility", "mobilité", "movilidad"),
    ("waste", "déchets", "residuos"),
    ("housing", "logement", "vivienda"),
    ("culture", "culture", "cultura"),
    ("food", "alimentation", "alimentación"),
    ("energy", "énergie", "energía"),
    ("equality", "égalité", "igualdad"),
    ("health", "santé", "salud"),
    ("education", "éducation", "educación"),
    ("forest", "forêt", "bosque"),
    ("river", "rivière", "río"),
    ("bicycle", "vélo", "bicicleta"),
    ("market", "marché", "mercado"),
    ("school", "école", "escuela"),
    ("garden", "jardin", "jardín"),
    ("heat", "chaleur", "calor"),
    ("flood", "inondation", "inundación"),
    ("youth", "jeunesse", "juventud"),
    ("women", "femmes", "mujeres"),
    ("migrants", "migrants", "migrantes"),
    ("tourism", "tourisme", "turismo"),
    ("fishing", "pêche", "pesca"),
    ("recycling", "recyclage", "reciclaje"),
    ("transport", "transport", "transporte"),
    ("park", "parc", "parque"),
    ("library", "bibliothèque", "biblioteca"),
    ("budget", "budget", "presupuesto"),
    ("data", "données", "datos"),
    ("sanitation", "assainissement", "saneamiento"),
    ("drought", "sécheresse", "sequía"),
    ("coast", "littoral", "costa"),
    ("tree", "arbre", "árbol"),
    ("light", "éclairage", "alumbrado"),
    ("noise", "bruit", "ruido"),
    ("air", "air", "aire"),
    ("soil", "sol", "suelo"),
    ("bee", "abeille", "abeja"),
    ("compost", "compost", "compostaje"),
    ("cooperative", "coopérative", "cooperativa"),
    ("street", "rue", "calle"),
    ("square", "place", "plaza"),
    ("neighbourhood", "quartier", "barrio"),
    ("elderly", "aînés", "mayores"),
    ("children", "enfants", "niños"),
    ("sport", "sport", "deporte"),
    ("music", "musique", "música"),
    ("museum", "musée", "museo"),
    ("climate", "climat", "clima"),
    ("solar", "solaire", "solar"),
    ("wind", "éolien", "eólica"),
    ("rain", "pluie", "lluvia"),
    ("port", "port", "puerto"),
    ("railway", "ferroviaire", "ferrocarril"),
    ("bus", "autobus", "autobús"),
    ("walking", "marche", "caminar"),
    ("disability", "handicap", "discapacidad"),
    ("employment", "emploi", "empleo"),
    ("crafts", "artisanat", "artesanía"),
    ("heritage", "patrimoine", "patrimonio"),
]
ADJECTIVES = [
    ("green", "verte", "verde"),
    ("shared", "partagée", "compartida"),
    ("local", "locale", "local"),
    ("inclusive", "inclusive", "inclusiva"),
    ("resilient", "résiliente", "resiliente"),
    ("open", "ouverte", "abierta"),
    ("safe", "sûre", "segura"),
    ("fair", "équitable", "justa"),
]
TITLES = {
    "en": [
        "{adj} {a} for {city}",
        "{a} and {b} in {city}",
        "{city}: {adj} {a}",
        "{adj} {a} and {b}",
    ],
    "fr": ["{a} {adj} à {city}", "{a} et {b} à {city}", "{city} : {a} {adj}", "{a} {adj} et {b}"],
    "es": ["{a} {adj} en {city}", "{a} y {b} en {city}", "{city}: {a} {adj}", "{a} {adj} y {b}"],
}
SUMMARIES = {
    "en": (
        "The city of {city} works with its residents on {a} and {b}. "
        "Over {years} years the project brings {c} to {n} households, "
        "with neighbourhood committees and a public report every year."
    ),
    "fr": (
        "La ville de {city} travaille avec ses habitants sur {a} et {b}. "
        "En {years} ans le projet apporte {c} à {n} foyers, "
        "avec des comités de quartier et un rapport public chaque année."
    ),
    "es": (
        "La ciudad de {city} trabaja con sus vecinos en {a} y {b}. "
        "En {years} años el proyecto lleva {c} a {n} hogares, "
        "con comités de barrio y un informe público cada año."
    ),
}
LANGUAGE_INDEX = {"en": 0, "fr": 1, "es": 2}
