"""The project's English stopword list (NLTK's stopwords corpus is not installed).

Function words only: articles, pronouns, auxiliaries, prepositions, conjunctions,
common adverbs and contraction fragments left by tokenization ("s", "t", "ll").
Lower case; compare with ``word.lower() in STOPWORDS``. Content words that matter
in this corpus ("said", "company", "sanctions") are kept out of it, and so is "us",
which lower-cases the country name "US".
"""

from __future__ import annotations

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren as at
    be because been before being below between both but by
    can cannot could couldn
    did didn do does doesn doing don down during
    each either
    few for from further
    had hadn has hasn have haven having he her here hers herself him himself his how
    i if in into is isn it its itself
    just
    ll
    m may me might more most must mustn my myself
    neither no nor not now
    of off on once only or other our ours ourselves out over own
    re
    s same shall shan she should shouldn so some such
    t than that the their theirs them themselves then there these they this those
    through to too
    under until up upon
    ve very
    was wasn we were weren what when where whether which while who whom whose why will
    with won would wouldn
    you your yours yourself yourselves
    """.split()
)


def is_stopword(word: str) -> bool:
    """True if `word` (any case) is a stopword."""
    return word.lower() in STOPWORDS



# Places that are never a company on their own: countries, US states, Chinese provinces and
# large cities the news names (negative evidence for the company rules beside the KB's
# places: "New York" is no company, though "New York Stock Exchange" is an exchange).
_PLACES = """
afghanistan, albania, algeria, angola, argentina, armenia, australia, austria, azerbaijan,
bahrain, bangladesh, belarus, belgium, bolivia, bosnia, brazil, brunei, bulgaria, cambodia,
cameroon, canada, chile, colombia, congo, croatia, cuba, cyprus, czechia, czech republic,
denmark, ecuador, egypt, estonia, ethiopia, finland, france, georgia, ghana, greece,
guatemala, hungary, iceland, india, indonesia, iran, iraq, ireland, israel, italy, jamaica,
japan, jordan, kazakhstan, kenya, kuwait, kyrgyzstan, laos, latvia, lebanon, libya,
lithuania, luxembourg, malaysia, mali, malta, mexico, moldova, mongolia, montenegro, morocco,
mozambique, myanmar, nepal, netherlands, nicaragua, niger, nigeria, norway, oman, pakistan,
panama, paraguay, peru, philippines, poland, portugal, qatar, romania, rwanda, serbia,
singapore, slovakia, slovenia, somalia, spain, sudan, sweden, switzerland, syria,
tajikistan, tanzania, thailand, tunisia, turkey, turkmenistan, uganda, uruguay, uzbekistan,
venezuela, vietnam, yemen, zambia, zimbabwe, south korea, north korea, south africa,
saudi arabia, united kingdom, new zealand, sri lanka, united arab emirates, macau, tibet,
inner mongolia, europe, asia, africa,
alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida,
hawaii, idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland,
massachusetts, michigan, minnesota, mississippi, missouri, montana, nebraska, nevada,
new hampshire, new jersey, new mexico, new york, north carolina, north dakota, ohio,
oklahoma, oregon, pennsylvania, rhode island, south carolina, south dakota, tennessee, texas,
utah, vermont, virginia, west virginia, wisconsin, wyoming,
new york city, los angeles, san francisco, chicago, boston, seattle, houston, dallas, miami,
silicon valley, brussels, paris, berlin, frankfurt, munich, amsterdam, geneva, zurich,
moscow, kyiv, kiev, istanbul, dubai, tehran, delhi, new delhi, mumbai, bangalore, tokyo,
osaka, seoul, taipei, hsinchu, manila, jakarta, hanoi, bangkok, kuala lumpur, sydney,
melbourne, toronto, vancouver, ottawa, mexico city, sao paulo,
guangzhou, guangdong, chengdu, chongqing, wuhan, nanjing, tianjin, xiamen, suzhou, wuxi,
dalian, qingdao, hefei, changsha, zhengzhou, jinan, harbin, shenyang, xi'an, kunming, urumqi,
zhejiang, jiangsu, shandong, sichuan, hubei, hunan, fujian, anhui, henan, hebei, liaoning,
jilin, heilongjiang, yunnan, guizhou, shaanxi, shanxi, gansu, qinghai, ningxia, hainan,
guangxi
"""
PLACE_NAMES: frozenset[str] = frozenset(
    " ".join(name.split()) for name in _PLACES.split(",") if name.strip())
