"""Ukrainian and Russian labels of the demo codebook, awaiting a native speaker's review.

The demo survey is fielded in Polish, Ukrainian, Russian and English. The codebook's
Polish and English labels are the reference; the Ukrainian (``uk``) and Russian (``ru``)
ones below are **draft translations**: every variable that carries them lists
``translation_review: [uk, ru]`` in ``codebook.yml`` until a native speaker has checked
them (then remove the language from that list). District names stay in Polish.

>>> translate("Yes")
{'uk': 'Так', 'ru': 'Да'}
>>> translate("Sampling point P007")
{'uk': 'Точка вибірки P007', 'ru': 'Точка выборки P007'}
>>> translate("not in the table") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["DEMO_TRANSLATIONS", "REVIEW_LANGUAGES", "translate"]

#: Languages whose labels are drafts awaiting review by a native speaker.
REVIEW_LANGUAGES: tuple[str, ...] = ("uk", "ru")

_T: dict[str, tuple[str, str]] = {
    "Respondent id": ("Ідентифікатор респондента", "Идентификатор респондента"),
    "Stratum (group of Lublin districts)": (
        "Страта (група районів Любліна)",
        "Страта (группа районов Люблина)",
    ),
    "Centre (Śródmieście, Old Town, Wieniawa)": (
        "Центр (Śródmieście, Старе Місто, Wieniawa)",
        "Центр (Śródmieście, Старый город, Wieniawa)",
    ),
    "West (Czuby, Węglin, Konstantynów, Sławin)": (
        "Захід (Czuby, Węglin, Konstantynów, Sławin)",
        "Запад (Czuby, Węglin, Konstantynów, Sławin)",
    ),
    "North (Czechów, Kalinowszczyzna, Ponikwoda, Sławinek)": (
        "Північ (Czechów, Kalinowszczyzna, Ponikwoda, Sławinek)",
        "Север (Czechów, Kalinowszczyzna, Ponikwoda, Sławinek)",
    ),
    "East (Tatary, Bronowice, Felin, Hajdów-Zadębie)": (
        "Схід (Tatary, Bronowice, Felin, Hajdów-Zadębie)",
        "Восток (Tatary, Bronowice, Felin, Hajdów-Zadębie)",
    ),
    "South (Dziesiąta, Abramowice, Wrotków, Zemborzyce)": (
        "Південь (Dziesiąta, Abramowice, Wrotków, Zemborzyce)",
        "Юг (Dziesiąta, Abramowice, Wrotków, Zemborzyce)",
    ),
    "Sampling point (cluster)": ("Точка вибірки (кластер)", "Точка выборки (кластер)"),
    "Base (design) weight before raking": (
        "Базова (дизайнова) вага до калібрування",
        "Базовый (дизайновый) вес до калибровки",
    ),
    "Sex": ("Стать", "Пол"),
    "Woman": ("Жінка", "Женщина"),
    "Man": ("Чоловік", "Мужчина"),
    "Age group": ("Вікова група", "Возрастная группа"),
    "18–29 years": ("18–29 років", "18–29 лет"),
    "30–44 years": ("30–44 роки", "30–44 года"),
    "45–64 years": ("45–64 роки", "45–64 года"),
    "65 years or more": ("65 років і більше", "65 лет и старше"),
    "Citizenship group": ("Громадянство (група)", "Гражданство (группа)"),
    "Ukraine": ("Україна", "Украина"),
    "Belarus": ("Білорусь", "Беларусь"),
    "Russia": ("Росія", "Россия"),
    "Other Europe": ("Інші країни Європи", "Другие страны Европы"),
    "Asia": ("Азія", "Азия"),
    "Africa and the Middle East": ("Африка та Близький Схід", "Африка и Ближний Восток"),
    "Other": ("Інше", "Другое"),
    "Residence basis": ("Підстава перебування", "Основание пребывания"),
    "Temporary protection (Ukrainian citizens, PESEL UKR)": (
        "Тимчасовий захист (громадяни України, PESEL UKR)",
        "Временная защита (граждане Украины, PESEL UKR)",
    ),
    "Temporary residence permit or work visa": (
        "Дозвіл на тимчасове проживання або робоча віза",
        "Разрешение на временное проживание или рабочая виза",
    ),
    "Permanent residence or EU long-term resident": (
        "Постійне проживання або статус довгострокового резидента ЄС",
        "Постоянное проживание или статус долгосрочного резидента ЕС",
    ),
    "Residence for studies": ("Перебування з метою навчання", "Пребывание с целью учёбы"),
    "Other basis (e.g. humanitarian visa, visa-free stay)": (
        "Інша підстава (напр. гуманітарна віза, безвізовий режим)",
        "Другое основание (напр. гуманитарная виза, безвизовый режим)",
    ),
    "Age (years)": ("Вік (у роках)", "Возраст (лет)"),
    "Years in Poland": ("Термін перебування в Польщі", "Срок пребывания в Польше"),
    "Less than a year": ("Менше року", "Меньше года"),
    "1–2 years": ("1–2 роки", "1–2 года"),
    "3–5 years": ("3–5 років", "3–5 лет"),
    "6 years or more": ("6 років і більше", "6 лет и больше"),
    "Self-rated Polish": ("Самооцінка знання польської мови", "Самооценка знания польского языка"),
    "None": ("Відсутнє", "Отсутствует"),
    "Basic": ("Базове", "Базовое"),
    "Communicative": ("Комунікативне", "Коммуникативное"),
    "Fluent": ("Вільне", "Свободное"),
    "Highest completed education": ("Найвища здобута освіта", "Наивысшее полученное образование"),
    "Primary or less": ("Початкова або нижча", "Начальное или ниже"),
    "Secondary (incl. vocational)": (
        "Середня (зокрема професійна)",
        "Среднее (в том числе профессиональное)",
    ),
    "Tertiary": ("Вища", "Высшее"),
    "Lives with children under 18": (
        "Проживає з дітьми до 18 років",
        "Проживает с детьми до 18 лет",
    ),
    "Yes": ("Так", "Да"),
    "No": ("Ні", "Нет"),
    "Household net monthly income (PLN)": (
        "Щомісячний чистий дохід домогосподарства (зл.)",
        "Ежемесячный чистый доход домохозяйства (зл.)",
    ),
    "Needed medical care in the last 12 months": (
        "Потребував(ла) медичної допомоги за останні 12 місяців",
        "Нуждался(-ась) в медицинской помощи за последние 12 месяцев",
    ),
    "Did not receive medical care when needed (last 12 months)": (
        "Не отримав(ла) потрібної медичної допомоги (останні 12 місяців)",
        "Не получил(а) необходимую медицинскую помощь (последние 12 месяцев)",
    ),
    "Covered by public health insurance (NFZ)": (
        "Має державне медичне страхування (NFZ)",
        "Имеет государственное медицинское страхование (NFZ)",
    ),
    "Language barrier at the doctor's": ("Мовний бар'єр у лікаря", "Языковой барьер у врача"),
    "Has a child in a school in Lublin": (
        "Має дитину в школі в Любліні",
        "Имеет ребёнка в школе в Люблине",
    ),
    "The child got Polish-language support": (
        "Дитина отримала підтримку у вивченні польської мови",
        "Ребёнок получил поддержку в изучении польского языка",
    ),
    "School information in a language they understand": (
        "Інформація від школи зрозумілою мовою",
        "Информация от школы на понятном языке",
    ),
    "In paid work": ("Має оплачувану роботу", "Имеет оплачиваемую работу"),
    "Job below qualifications": ("Робота нижче кваліфікації", "Работа ниже квалификации"),
    "Has a written contract": ("Має письмовий договір", "Имеет письменный договор"),
    "Overcrowded dwelling": ("Перенаселене житло", "Перенаселённое жильё"),
    "Refused a rental because of origin (12 months)": (
        "Відмова в оренді житла через походження (12 місяців)",
        "Отказ в аренде жилья из-за происхождения (12 месяцев)",
    ),
    "Housing costs over 40% of income": (
        "Витрати на житло понад 40% доходу",
        "Расходы на жильё свыше 40% дохода",
    ),
    "Knows where to apply for social assistance": (
        "Знає, куди звертатися по соціальну допомогу",
        "Знает, куда обращаться за социальной помощью",
    ),
    "Used the municipal family-assistance centre (MOPR)": (
        "Користувався(-лася) допомогою Міського центру допомоги сім'ї (MOPR)",
        "Пользовался(-ась) помощью Городского центра помощи семье (MOPR)",
    ),
    "Knows where to get help in case of domestic violence": (
        "Знає, де шукати допомоги у разі домашнього насильства",
        "Знает, где искать помощь в случае домашнего насилия",
    ),
    "Attended a Polish course in the last 2 years": (
        "Відвідував(ла) курс польської мови (останні 2 роки)",
        "Посещал(а) курс польского языка (последние 2 года)",
    ),
    "Knows where to find information on rights and services": (
        "Знає, де знайти інформацію про права та послуги",
        "Знает, где найти информацию о правах и услугах",
    ),
    "Found official information in a language they understand": (
        "Знайшов(ла) офіційну інформацію зрозумілою мовою",
        "Нашёл(ла) официальную информацию на понятном языке",
    ),
    "Dealt with city hall in the last 12 months": (
        "Звертався(-лася) до міської ради за останні 12 місяців",
        "Обращался(-ась) в городскую администрацию за последние 12 месяцев",
    ),
    "Satisfied with city-hall service": (
        "Задоволений(-а) обслуговуванням у міській раді",
        "Доволен(-льна) обслуживанием в городской администрации",
    ),
    "Language barrier at the office": ("Мовний бар'єр в установі", "Языковой барьер в учреждении"),
    "Felt discriminated against (12 months)": (
        "Зазнав(ла) дискримінації (12 місяців)",
        "Сталкивался(-ась) с дискриминацией (12 месяцев)",
    ),
    "Reported the discrimination anywhere": (
        "Повідомив(ла) про дискримінацію",
        "Сообщил(а) о дискриминации",
    ),
    "Ever took part in a city consultation": (
        "Брав(ла) участь у міських консультаціях",
        "Участвовал(а) в городских консультациях",
    ),
    "Would like to take part in city decisions": (
        "Хотів(ла) б брати участь у рішеннях міста",
        "Хотел(а) бы участвовать в решениях города",
    ),
    "Attended a cultural event in Lublin (12 months)": (
        "Відвідав(ла) культурний захід у Любліні (12 місяців)",
        "Посетил(а) культурное мероприятие в Люблине (12 месяцев)",
    ),
    "Has Polish friends": ("Має друзів-поляків", "Имеет друзей-поляков"),
    "Feels safe walking alone after dark": (
        "Почувається безпечно, гуляючи на самоті після настання темряви",
        "Чувствует себя в безопасности, гуляя в одиночку после наступления темноты",
    ),
    "Trusts the police": ("Довіряє поліції", "Доверяет полиции"),
    "Had a legal problem (12 months)": (
        "Мав(ла) юридичну проблему (12 місяців)",
        "Имел(а) юридическую проблему (12 месяцев)",
    ),
    "Got legal help": ("Отримав(ла) юридичну допомогу", "Получил(а) юридическую помощь"),
    "Worries about losing residence status": (
        "Побоюється втратити право на перебування",
        "Опасается потерять право на пребывание",
    ),
    "Sense of belonging to Lublin (0–10)": (
        "Відчуття приналежності до Любліна (0–10)",
        "Чувство принадлежности к Люблину (0–10)",
    ),
}
#: English label → Ukrainian and Russian drafts.
DEMO_TRANSLATIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {en: MappingProxyType({"uk": uk, "ru": ru}) for en, (uk, ru) in _T.items()}
)
_POINT = re.compile(r"^Sampling point (P\d+)$")


def translate(en: str) -> dict[str, str] | None:
    """The ``uk`` and ``ru`` drafts of an English demo label, or ``None``."""
    if en in DEMO_TRANSLATIONS:
        return dict(DEMO_TRANSLATIONS[en])
    point = _POINT.match(en)
    if point:
        return {"uk": f"Точка вибірки {point[1]}", "ru": f"Точка выборки {point[1]}"}
    return None
