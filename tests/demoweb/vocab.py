"""Word lists and sentence templates for the demo news generator.

Everything here is invented for the demo: fictional towns, regions, people and
organisations, so the generated news can never be mistaken for (or copied from) real
reporting.  Templates use ``{slot}`` placeholders filled per article and ``[a|b|c]``
alternations picked at random, which keeps two articles on the same topic from sharing
long runs of identical words (dedupe shingles words, so literal template text matters).
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Amara", "Benedict", "Clara", "Dmitri", "Elena", "Farid", "Grace", "Hamish", "Ingrid",
    "Jonah", "Keiko", "Lucia", "Marcus", "Nadia", "Oscar", "Priya", "Quentin", "Rosa",
    "Samuel", "Tamsin", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe", "Aidan", "Beatrix",
    "Cormac", "Delia", "Emil", "Freya", "Gideon", "Hana", "Isaac", "Juno", "Kofi", "Leona",
    "Malik", "Noor", "Petra", "Rafael", "Sunita", "Tobias", "Vera", "Wilhelmina",
)

LAST_NAMES = (
    "Abernathy", "Bellweather", "Castellane", "Drummond", "Everly", "Fairbanks", "Galloway",
    "Hartigan", "Iverson", "Jarrow", "Kettering", "Lindqvist", "Mwangi", "Novak", "Okafor",
    "Pemberton", "Quinlan", "Rourke", "Sandoval", "Thackeray", "Umber", "Vasquez",
    "Whitlock", "Yardley", "Zielinski", "Ashdown", "Brannigan", "Corliss", "Delacroix",
    "Ellwood", "Garrick", "Holloway", "Ingram", "Jessup", "Kowalski", "Lachlan", "Marwood",
    "Nakamura", "Ormsby", "Pryce", "Rasmussen", "Sefton", "Tremaine", "Varga", "Wexford",
    "Achebe", "Bosworth", "Calloway", "Dunmore", "Esterhazy", "Fontaine", "Grimaldi",
)

PLACES = (
    "Brackwater", "Corvale", "Dunmarrow", "Elderford", "Farrowby", "Greystrand",
    "Hollin Ridge", "Ivelbridge", "Jessop's Landing", "Kilbarrow", "Lowmoor", "Millbeck",
    "Norbury Cross", "Ostrand", "Penhallow", "Quarrydale", "Rookhaven", "Saltmere",
    "Thornwick", "Upperton", "Varrow", "Westhollow", "Yarrowdale", "Ambleside Quay",
    "Bexley Fen", "Caddon Mill", "Drayholt", "Emberlin",
)

REGIONS = (
    "Ardell County", "Brennan Province", "Callow Valley", "Harrowshire", "Kestrel Coast",
    "Lowfield District", "Mardle County", "Northfen", "Orrin Valley", "Pellwick County",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PAST_MONTHS = ("July", "August", "September", "October")
FUTURE_MONTHS = ("January", "February", "March", "April", "May", "June")
ORDINALS = ("second", "third", "fourth", "fifth")
FORMER_USES = ("dairy", "bus depot", "textile mill", "gasworks", "railway yard", "brewery")


@dataclass(frozen=True)
class Topic:
    """Vocabulary for one beat: who acts, on what, and what people say about it."""

    key: str
    section: str
    orgs: tuple[tuple[str, str], ...]  # (name in prose, short name for headlines)
    rivals: tuple[str, ...]
    roles: tuple[str, ...]
    things: tuple[str, ...]
    issues: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (past tense, headline present tense)
    units: tuple[str, ...]
    headlines: tuple[str, ...]
    facts: tuple[str, ...]
    quotes: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        key="council", section="Politics",
        orgs=(("the {place} City Council", "{place} council"),
              ("the {place} Borough Assembly", "{place} assembly"),
              ("the {region} Executive Board", "{region} board")),
        rivals=("the {place} Taxpayers' Association", "the Civic Reform League",
                "the {region} Chamber of Commerce", "the Fair Budget Campaign"),
        roles=("council treasurer", "deputy mayor", "finance committee chair",
               "independent councillor", "budget analyst", "opposition leader"),
        things=("road repair levy", "three-year spending plan", "property tax increase",
                "library funding package", "municipal hiring freeze", "revised capital budget"),
        issues=("a widening budget gap", "rising maintenance costs", "falling business rates",
                "the cost of pension obligations", "delays to the bypass project"),
        actions=(("approved", "approves"), ("postponed", "postpones"), ("rejected", "rejects"),
                 ("unveiled", "unveils"), ("voted to delay", "votes to delay"),
                 ("signed off on", "signs off on")),
        units=("households", "property owners", "residents"),
        headlines=("{head_org} {action_now} {thing} after marathon session",
                   "{head_org} {action_now} {thing} amid row over {issue}",
                   "{place} budget fight: {head_org} {action_now} {thing}",
                   "Why {place} is arguing about the {thing}",
                   "{head_org} {action_now} {thing} as {issue} bites"),
        facts=("The {thing} would add an average of {money_small} a year to a typical household bill, according to "
               "council estimates.",
               "Council documents show that {issue} has already forced the postponement of [two|three|four] road "
               "schemes.",
               "Budget papers published ahead of the meeting put the shortfall at {money}.",
               "The finance committee had recommended the {thing} by a narrow majority in {prev_month}.",
               "Members spent nearly {num_small} hours debating amendments, most of which were defeated.",
               "Reserves held by {org} have fallen to their lowest level since {past_year}.",
               "The final vote was {vote_for} to {vote_against}, with {abstain} members abstaining.",
               "A line-by-line review of spending, ordered last year, identified savings of {money}, far short of "
               "what was needed."),
        quotes=("Every year we are asked to do more with less, and this year we simply ran out of less",
                "We cannot keep patching roads that were built for a town half this size",
                "Nobody on this council enjoys asking residents to pay more",
                "The books have to balance, and there are no painless options left",
                "This budget protects the services people rely on most",
                "It is a tax rise dressed up as a reform",
                "We have been warning about this gap for three years"),
    ),
    Topic(
        key="water", section="Environment",
        orgs=(("the {place} Water Board", "{place} water board"),
              ("the {region} Water Authority", "{region} water authority"),
              ("the {place} Utilities Commission", "{place} utilities")),
        rivals=("the Clean Rivers Alliance", "the {place} Farmers' Cooperative",
                "the {region} Anglers' Society", "Friends of {place} Reservoir"),
        roles=("water board chair", "hydrologist", "reservoir manager", "environmental engineer",
               "dairy farmer", "conservation officer"),
        things=("emergency rationing plan", "reservoir pipeline extension", "hosepipe ban",
                "leak repair programme", "water meter rollout", "groundwater pumping limit"),
        issues=("falling reservoir levels", "a third consecutive dry summer", "ageing water mains",
                "rising demand from new housing", "low river flows"),
        actions=(("approved", "approves"), ("announced", "announces"), ("extended", "extends"),
                 ("suspended", "suspends"), ("proposed", "proposes"), ("backed", "backs")),
        units=("households", "businesses", "farms"),
        headlines=("{head_org} {action_now} {thing} as reservoirs fall",
                   "Drought deepens in {place} as {head_org} {action_now} {thing}",
                   "Dry taps and hard choices: {place} weighs {thing}",
                   "{head_org} {action_now} {thing} amid {issue}",
                   "What the {thing} means for {place} households"),
        facts=("Reservoirs serving {place} stood at {pct} percent of capacity on {weekday}, well below the seasonal "
               "average.",
               "Rainfall across {region} has been below normal for {num_small} of the past eighteen months.",
               "Engineers estimate that around one in five litres of treated water is lost to leaks before it reaches "
               "a tap.",
               "The {thing} would be the first of its kind in {region} since {past_year}.",
               "Farmers downstream say irrigation limits have already cut yields on some crops.",
               "Daily consumption in {place} peaked at {num_big} cubic metres during the summer heatwave.",
               "Water quality tests carried out in {prev_month} found no cause for concern, officials said."),
        quotes=("We are asking people to treat every litre as if it were their last",
                "The rain we need is not in the forecast",
                "Fixing the pipes is slower and less glamorous than building reservoirs, but it works",
                "Farmers are being asked to carry a burden that should be shared",
                "If the river drops any further, the fish will not survive the winter",
                "We planned for dry years, but not for three in a row"),
    ),
    Topic(
        key="transit", section="Transport",
        orgs=(("the {region} Transit Authority", "{region} transit"),
              ("the {place} Rail Partnership", "{place} rail"),
              ("{place} Metro Buses", "{place} buses")),
        rivals=("the Commuters' Action Group", "the {region} Cyclists' Union",
                "the Passenger Rights Forum", "the {place} Rail Users' Association"),
        roles=("transit director", "rail operations manager", "daily commuter", "bus driver",
               "transport planner", "union representative"),
        things=("timetable overhaul", "night bus network", "fare freeze", "light rail extension",
                "station accessibility upgrade", "rural bus subsidy"),
        issues=("chronic overcrowding at peak hours", "a shortage of qualified drivers",
                "falling ridership", "repeated signal failures", "rising fuel costs"),
        actions=(("approved", "approves"), ("unveiled", "unveils"), ("postponed", "postpones"),
                 ("scrapped", "scraps"), ("expanded", "expands"), ("launched", "launches")),
        units=("passengers", "daily commuters", "riders"),
        headlines=("{head_org} {action_now} {thing} after months of delays",
                   "Commuters in {place} react as {head_org} {action_now} {thing}",
                   "{thing} plan divides {place} riders",
                   "{head_org} {action_now} {thing} to tackle {issue}",
                   "Is the {thing} the fix {place} commuters were promised?"),
        facts=("Trains between {place} and {place2} ran late on {pct} percent of weekday services last quarter.",
               "Ridership on the network has recovered to roughly {pct} percent of its level before the timetable "
               "cuts.",
               "The authority employs about {num_mid} drivers, fewer than it did in {past_year}.",
               "The {thing} is due to be phased in over {num_small} months, starting with the busiest routes.",
               "Passenger surveys have consistently ranked reliability above price as the main concern.",
               "The line through {place2} carries around {num_big} journeys on a typical weekday.",
               "Work on the signalling system is expected to close some stations on weekends."),
        quotes=("People do not mind paying for a service that turns up on time",
                "We are running a modern timetable on equipment that belongs in a museum",
                "Every cancelled bus is someone late for work or a hospital appointment",
                "This is the biggest change to the network in a generation",
                "We need drivers more than we need new buses",
                "Commuters have been patient, but patience runs out"),
    ),
    Topic(
        key="health", section="Health",
        orgs=(("{place} General Hospital", "{place} hospital"),
              ("the {region} Health Trust", "{region} health trust"),
              ("the {place} Community Clinic Network", "{place} clinics")),
        rivals=("the Patients' Voice Network", "the {region} Nurses' Association",
                "the Rural Health Coalition", "Friends of {place} General"),
        roles=("chief executive", "senior nurse", "emergency physician", "health trust spokesperson",
               "family doctor", "patient advocate"),
        things=("emergency department rebuild", "weekend clinic pilot", "maternity unit closure",
                "waiting list recovery plan", "mental health outreach service", "new diagnostic centre"),
        issues=("record waiting times", "staff burnout", "a shortage of hospital beds",
                "winter pressures", "delays in ambulance handovers"),
        actions=(("approved", "approves"), ("unveiled", "unveils"), ("postponed", "postpones"),
                 ("launched", "launches"), ("expanded", "expands"), ("suspended", "suspends")),
        units=("patients", "appointments", "families"),
        headlines=("{head_org} {action_now} {thing} amid {issue}",
                   "Patients in {place} face changes as {head_org} {action_now} {thing}",
                   "Inside the fight over the {thing} in {place}",
                   "{head_org} {action_now} {thing}, citing {issue}",
                   "Nurses warn over {thing} in {place}"),
        facts=("The average wait for a routine appointment in {region} has grown to {num_small} weeks, according to "
               "trust figures.",
               "Around {num_mid} vacancies for nurses and support staff remain unfilled across the trust.",
               "Ambulances queued outside the emergency department for more than {num_small} hours on several nights "
               "in {prev_month}.",
               "The {thing} is expected to cost {money} over its first three years.",
               "Health officials said the changes would not affect cancer or cardiac services.",
               "Staff were briefed on the plans at an internal meeting on {weekday}, according to two people who "
               "attended.",
               "Demand for emergency care usually peaks in the weeks after the new year."),
        quotes=("Our staff are exhausted, and exhausted people make mistakes",
                "This is about getting patients seen faster, nothing more and nothing less",
                "Nobody wants to see a ward close, but we have to be honest about what is safe",
                "The corridor is not a waiting room, yet that is what it has become",
                "We have listened to patients and we have changed the plan as a result",
                "A service that exists only on paper helps no one"),
    ),
    Topic(
        key="schools", section="Education",
        orgs=(("the {place} School District", "{place} school district"),
              ("the {region} Education Board", "{region} education board"),
              ("{place} Unified Schools", "{place} schools")),
        rivals=("the {place} Parents' Forum", "the Teachers' Federation",
                "the {region} Association of Head Teachers", "the Fair Funding for Schools campaign"),
        roles=("district superintendent", "head teacher", "parent governor", "maths teacher",
               "education researcher", "school board member"),
        things=("four-day week trial", "school meals programme", "catchment boundary review",
                "teacher pay deal", "after-school tutoring scheme", "campus merger plan"),
        issues=("falling enrolment", "teacher shortages", "crumbling school buildings",
                "rising transport costs", "gaps in reading scores"),
        actions=(("approved", "approves"), ("postponed", "postpones"), ("rejected", "rejects"),
                 ("unveiled", "unveils"), ("backed", "backs"), ("proposed", "proposes")),
        units=("pupils", "families", "teachers"),
        headlines=("{head_org} {action_now} {thing} despite parent protests",
                   "{place} parents split as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} to address {issue}",
                   "What the {thing} means for {place} pupils",
                   "Teachers cautious as {head_org} {action_now} {thing}"),
        facts=("Enrolment across the district has fallen by {pct} percent over five years.",
               "The district currently spends about {money} a year on school transport alone.",
               "Reading scores for eleven-year-olds in {place} were below the regional average for the {ordinal} year "
               "running.",
               "The {thing} would begin at the start of the next academic year if final approval is given.",
               "At least {num_small} schools in the district are operating above their intended capacity.",
               "Teaching vacancies in science and maths have proved hardest to fill.",
               "A survey of parents found strong support for longer opening hours but little appetite for higher "
               "fees."),
        quotes=("Children only get one shot at each school year",
                "We cannot recruit teachers to buildings with leaking roofs",
                "Parents want stability, and this gives them the opposite",
                "The evidence from other districts is encouraging but not conclusive",
                "We owe it to the pupils to try something different",
                "Every decision here has a bus route attached to it"),
    ),
    Topic(
        key="energy", section="Business",
        orgs=(("{region} Power", "{region} Power"),
              ("the {place} Energy Cooperative", "{place} energy co-op"),
              ("the {region} Grid Operator", "{region} grid operator")),
        rivals=("the Coastal Landscape Trust", "the {region} Renewable Energy Forum",
                "Consumer Energy Watch", "the {place2} Residents' Association"),
        roles=("grid engineer", "chief operating officer", "energy analyst", "landowner",
               "co-op member", "planning officer"),
        things=("offshore wind connection", "battery storage site", "solar farm proposal",
                "grid upgrade programme", "tariff increase", "district heating scheme"),
        issues=("volatile wholesale prices", "grid congestion", "rising household bills",
                "winter supply concerns", "delays in connecting new projects"),
        actions=(("approved", "approves"), ("unveiled", "unveils"), ("postponed", "postpones"),
                 ("rejected", "rejects"), ("backed", "backs"), ("announced", "announces")),
        units=("homes", "customers", "businesses"),
        headlines=("{head_org} {action_now} {thing} as bills climb",
                   "{head_org} {action_now} {thing} near {place}",
                   "Power struggle: {place} divided over {thing}",
                   "{head_org} {action_now} {thing}, blaming {issue}",
                   "Can the {thing} keep the lights on in {region}?"),
        facts=("The {thing} would be capable of supplying around {num_big} homes at peak output.",
               "Wholesale electricity prices in the region have swung by as much as {pct} percent in a single week "
               "this year.",
               "More than {num_mid} projects are waiting for a grid connection in {region}, some for several years.",
               "Developers estimate construction would take {num_small} years and employ several hundred people at "
               "its peak.",
               "The existing substation near {place2} was built in {past_year} and is close to capacity.",
               "Consumer groups have called for any savings to be passed on directly to bills.",
               "The planning application runs to more than {num_small} hundred pages, including noise and wildlife "
               "assessments."),
        quotes=("The grid we have was designed for a different century",
                "People are happy to support clean energy until the pylons are in their back garden",
                "Storage is what turns a windy afternoon into a warm evening",
                "Customers should not be paying for delays they did not cause",
                "We are confident the numbers stack up",
                "Cheap power that never reaches the grid is not cheap power"),
    ),
    Topic(
        key="housing", section="Housing",
        orgs=(("the {place} Planning Committee", "{place} planners"),
              ("the {region} Housing Agency", "{region} housing agency"),
              ("{place} Homes Trust", "{place} homes trust")),
        rivals=("the {place} Tenants' Union", "the Green Belt Defence Group",
                "the {region} Builders' Federation", "the {place2} Residents' Association"),
        roles=("planning officer", "tenant organiser", "property developer", "architect",
               "housing economist", "local councillor"),
        things=("riverside housing development", "rent stabilisation scheme", "affordable homes quota",
                "student accommodation block", "brownfield regeneration plan", "empty homes tax"),
        issues=("soaring rents", "a shortage of affordable homes", "long social housing waiting lists",
                "pressure on local roads and schools", "rising construction costs"),
        actions=(("approved", "approves"), ("rejected", "rejects"), ("postponed", "postpones"),
                 ("backed", "backs"), ("unveiled", "unveils"), ("scrapped", "scraps")),
        units=("homes", "tenants", "families"),
        headlines=("{head_org} {action_now} {thing} in {place}",
                   "{place} rents: {head_org} {action_now} {thing}",
                   "Tenants welcome move as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} despite objections",
                   "Who gains from the {thing} in {place}?"),
        facts=("Average rents in {place} have risen by {pct} percent in two years, outpacing wages.",
               "The {thing} would deliver about {num_mid} homes, around a third of them classed as affordable.",
               "More than {num_big} households are on the social housing waiting list in {region}.",
               "The site, a former {former_use}, has stood empty since {past_year}.",
               "Objectors submitted {num_mid} letters, most citing traffic and flood risk.",
               "Construction costs have risen sharply since the scheme was first proposed.",
               "Under the proposals, developers would pay {money} towards new school places and road improvements."),
        quotes=("People who work in this town can no longer afford to live in it",
                "We are not against new homes, we are against the wrong homes in the wrong place",
                "A waiting list is not a housing policy",
                "Every month of delay adds to the final bill",
                "Young families are leaving because there is nowhere for them to go",
                "This is the most important planning decision the town has faced in years"),
    ),
    Topic(
        key="farming", section="Agriculture",
        orgs=(("the {region} Farmers' Union", "{region} farmers' union"),
              ("the {place} Grain Cooperative", "{place} grain co-op"),
              ("the {region} Agriculture Department", "{region} agriculture department")),
        rivals=("the Soil Health Network", "the {region} Rural Alliance",
                "the Fair Price Food Campaign", "the Smallholders' Association"),
        roles=("arable farmer", "orchard owner", "agronomist", "co-op manager",
               "livestock farmer", "market trader"),
        things=("frost compensation fund", "fertiliser subsidy", "crop insurance scheme",
                "harvest labour visa pilot", "hedgerow restoration grant", "grain storage project"),
        issues=("a late spring frost", "falling grain prices", "shortages of seasonal workers",
                "soaring fertiliser costs", "an outbreak of crop blight"),
        actions=(("announced", "announces"), ("approved", "approves"), ("expanded", "expands"),
                 ("postponed", "postpones"), ("backed", "backs"), ("launched", "launches")),
        units=("farms", "growers", "smallholders"),
        headlines=("{head_org} {action_now} {thing} after {issue}",
                   "Growers in {place} count the cost as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} for struggling growers",
                   "Harvest worries grow in {region} as {head_org} {action_now} {thing}",
                   "Farmers say {thing} comes too late for {place}"),
        facts=("Apple growers around {place} lost up to {pct} percent of their blossom to frost in a single night.",
               "The {thing} is worth {money} and will be open to applications until {future_date}.",
               "Grain prices at the {place} market have fallen for {num_small} consecutive weeks.",
               "Around {num_big} hectares of farmland in {region} were affected, according to preliminary estimates.",
               "Many farms rely on seasonal workers for picking and packing, and recruitment has become harder each "
               "year.",
               "Insurance claims from growers in the area have doubled since {past_year}.",
               "The cooperative's storage silos are already close to capacity, officials said."),
        quotes=("You can do everything right for eleven months and lose it all in one night",
                "We are selling grain for less than it costs to grow",
                "The support is welcome, but it will not cover half of what we lost",
                "Without pickers, the fruit stays on the trees",
                "Farming has always been a gamble, but the odds keep getting worse",
                "The soil is our pension, and we have to look after it"),
    ),
    Topic(
        key="coast", section="Environment",
        orgs=(("the {place} Harbour Board", "{place} harbour board"),
              ("the {region} Marine Agency", "{region} marine agency"),
              ("the {place} Fishermen's Cooperative", "{place} fishing co-op")),
        rivals=("the Coastal Communities Network", "the Ocean Watch Foundation",
                "the {region} Inshore Fleet Association", "the Seabird Protection Society"),
        roles=("trawler skipper", "marine biologist", "harbour master", "fish merchant",
               "coastal engineer", "co-op secretary"),
        things=("cod quota cut", "harbour dredging contract", "marine protected zone",
                "sea wall repair plan", "new fish market", "seasonal fishing closure"),
        issues=("declining fish stocks", "coastal erosion", "rising fuel prices for the fleet",
                "silt building up in the harbour", "warming sea temperatures"),
        actions=(("approved", "approves"), ("announced", "announces"), ("postponed", "postpones"),
                 ("rejected", "rejects"), ("extended", "extends"), ("proposed", "proposes")),
        units=("vessels", "fishing families", "crew members"),
        headlines=("{head_org} {action_now} {thing} amid {issue}",
                   "Skippers in {place} angry as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} to protect {place} coastline",
                   "Tides of change: {place} harbour weighs {thing}",
                   "Scientists back {thing} off {place}"),
        facts=("Landings at {place} harbour fell by {pct} percent last year, according to port records.",
               "The fleet now numbers {num_mid} vessels, down sharply since {past_year}.",
               "Surveys show the cliff line north of {place} has retreated by several metres in a decade.",
               "The {thing} would cover an area roughly the size of {num_small} thousand football pitches.",
               "Silt has reduced the depth of the harbour entrance so that larger boats can only enter at high tide.",
               "Marine scientists have recorded sea temperatures about {small_decimal} degrees above the long-term "
               "average.",
               "Fish merchants say buyers are already turning to imports."),
        quotes=("My grandfather fished these waters and I want my son to have the same chance",
                "The science is clear, and the stocks need time to recover",
                "A harbour you cannot get into at low tide is not much of a harbour",
                "The sea does not wait for committees",
                "We are being asked to give up our living so others can feel good",
                "Protecting the seabed now is how we keep a fishing industry at all"),
    ),
    Topic(
        key="tech", section="Technology",
        orgs=(("{region} Digital Services", "{region} digital services"),
              ("the {place} Records Office", "{place} records office"),
              ("{place} Municipal Utilities", "{place} utilities")),
        rivals=("the Digital Rights Forum", "the {region} Privacy Coalition",
                "the Open Data Society", "the Small Business Tech Network"),
        roles=("chief information officer", "security researcher", "systems administrator",
               "privacy lawyer", "data protection officer", "software engineer"),
        things=("data breach investigation", "password reset programme", "online payments system",
                "public Wi-Fi network", "new records database", "broadband rollout"),
        issues=("a ransomware attack", "outdated software", "a shortage of cyber security staff",
                "leaked customer records", "repeated service outages"),
        actions=(("launched", "launches"), ("announced", "announces"), ("suspended", "suspends"),
                 ("postponed", "postpones"), ("expanded", "expands"), ("unveiled", "unveils")),
        units=("customers", "account holders", "users"),
        headlines=("{head_org} {action_now} {thing} after {issue}",
                   "{head_org} {action_now} {thing} as {place} residents wait for answers",
                   "Customers in {place} told to act as {head_org} {action_now} {thing}",
                   "Inside the {thing} at {head_org}",
                   "Experts question {thing} in {place}"),
        facts=("The affected system held records for about {num_big} customers, according to a notice posted on "
               "{weekday}.",
               "Investigators have not said how the attackers gained access.",
               "The {thing} is expected to take {num_small} weeks and will be overseen by an outside firm.",
               "Payment services were unavailable for {num_small} days, forcing staff to process transactions by hand.",
               "Security researchers said the software involved had not been updated since {past_year}.",
               "The regulator said it had been notified and was making inquiries.",
               "Residents have been advised to watch for suspicious emails asking for account details."),
        quotes=("There is no evidence so far that bank details were taken",
                "Old software is an open door, and everyone knows it",
                "We should have moved faster, and we are sorry",
                "Customers deserve to know exactly what was taken and when",
                "This was not a sophisticated attack, and that is what worries me",
                "We are rebuilding the system rather than patching it"),
    ),
    Topic(
        key="labour", section="Business",
        orgs=(("the {place} Port Authority", "{place} port"),
              ("the {region} Transport Workers' Union", "{region} dock union"),
              ("{place} Logistics Group", "{place} logistics")),
        rivals=("the {region} Employers' Federation", "the Freight Users' Council",
                "the Shippers' Association", "the {place} Retailers' Group"),
        roles=("union negotiator", "port manager", "dock worker", "logistics analyst",
               "shop steward", "employers' representative"),
        things=("pay offer", "two-day walkout", "shift pattern overhaul", "automation plan",
                "arbitration proposal", "overtime ban"),
        issues=("stalled pay talks", "the rising cost of living", "plans to automate cranes",
                "disputed shift rotas", "a backlog of containers"),
        actions=(("announced", "announces"), ("rejected", "rejects"), ("backed", "backs"),
                 ("postponed", "postpones"), ("suspended", "suspends"), ("proposed", "proposes")),
        units=("workers", "hauliers", "shipping firms"),
        headlines=("{head_org} {action_now} {thing} as talks stall",
                   "Dock workers in {place} dig in as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} amid {issue}",
                   "Shelves and ships: what the {thing} could mean for {place}",
                   "Deadlock at {place} port over {thing}"),
        facts=("Around {num_big} workers are covered by the agreement, which expired in {prev_month}.",
               "A backlog of roughly {num_big} containers has built up at the terminal, according to port data.",
               "The union balloted members over {num_small} days, with turnout of {pct} percent.",
               "Employers say the {thing} would add {money} a year to operating costs.",
               "Shipping lines have begun diverting some vessels to {place2}.",
               "Talks at the conciliation service broke up without agreement late on {weekday}.",
               "Retailers have warned that seasonal stock could be delayed if the dispute continues."),
        quotes=("Our members kept this port running through every crisis, and they deserve a fair deal",
                "The offer on the table is final, and it is generous",
                "Nobody goes on strike lightly, least of all people with mortgages",
                "Automation is coming whether we like it or not, the question is who benefits",
                "Every day of disruption costs the region money it cannot afford",
                "We are ready to talk at any hour of the day or night"),
    ),
    Topic(
        key="storm", section="Weather",
        orgs=(("the {region} Emergency Management Office", "{region} emergency office"),
              ("the {place} Fire and Rescue Service", "{place} fire service"),
              ("the {region} Weather Service", "{region} weather service")),
        rivals=("the {place} Flood Action Group", "the {region} Volunteer Rescue Network",
                "the Insurance Council", "the {region} Rural Roads Committee"),
        roles=("emergency coordinator", "meteorologist", "fire chief", "shop owner",
               "volunteer rescuer", "insurance assessor"),
        things=("flood warning system", "evacuation order", "storm recovery fund",
                "emergency shelter network", "river barrier upgrade", "road closure programme"),
        issues=("flash flooding", "gale-force winds", "a second storm in a fortnight",
                "fallen power lines", "a swollen river"),
        actions=(("issued", "issues"), ("extended", "extends"), ("announced", "announces"),
                 ("lifted", "lifts"), ("expanded", "expands"), ("launched", "launches")),
        units=("homes", "properties", "residents"),
        headlines=("{head_org} {action_now} {thing} as {issue} hit {place}",
                   "Storm leaves {place} counting the cost as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} after {issue}",
                   "Clean-up begins in {place} as {head_org} {action_now} {thing}",
                   "Residents return to {place} after {issue}"),
        facts=("Gusts of up to {speed} kilometres an hour were recorded on the coast on {weekday}.",
               "About {num_big} properties lost power at the height of the storm.",
               "The river at {place} peaked at {small_decimal} metres above its normal level.",
               "Emergency crews carried out more than {num_small} rescues overnight, officials said.",
               "Insurers have received early claims estimated at {money}.",
               "Forecasters said a further band of heavy rain could arrive by {future_weekday}.",
               "Schools in low-lying parts of {place} remained closed as a precaution."),
        quotes=("I have lived here forty years and never seen the water come up this fast",
                "Please do not drive through floodwater, it is deeper than it looks",
                "The barrier did its job, but it was a close call",
                "We need to stop treating these storms as once-in-a-century events",
                "Neighbours have been incredible, people turned up with boats and blankets",
                "The clean-up will take months, not weeks"),
    ),
    Topic(
        key="courts", section="Justice",
        orgs=(("the {region} District Court", "{region} court"),
              ("the {place} Prosecutor's Office", "{place} prosecutors"),
              ("the {region} Ombudsman", "{region} ombudsman")),
        rivals=("the Civil Liberties Council", "the {region} Bar Association",
                "the Open Government Project", "the Taxpayers' Watchdog"),
        roles=("prosecutor", "defence lawyer", "court clerk", "legal scholar", "former contractor",
               "retired judge"),
        things=("procurement fraud case", "planning permit inquiry", "contract tendering review",
                "public records ruling", "whistleblower complaint", "land sale investigation"),
        issues=("allegations of inflated invoices", "missing tender documents", "conflicts of interest",
                "delays in releasing public records", "a disputed land valuation"),
        actions=(("opened", "opens"), ("adjourned", "adjourns"), ("dismissed", "dismisses"),
                 ("reopened", "reopens"), ("expanded", "expands"), ("concluded", "concludes")),
        units=("documents", "contracts", "witness statements"),
        headlines=("{head_org} {action_now} {thing} in {place}",
                   "{head_org} {action_now} {thing} over {issue}",
                   "Key witness delays {thing} in {place}",
                   "What we know about the {thing} in {place}",
                   "Questions mount as {head_org} {action_now} {thing}"),
        facts=("Court papers describe {num_small} contracts awarded between {past_year} and last year.",
               "Prosecutors say invoices for the work were inflated by as much as {pct} percent.",
               "The case file runs to more than {num_big} pages, according to lawyers involved.",
               "None of those named in the filings has been charged with a criminal offence.",
               "The hearing is expected to resume on {future_date}.",
               "An internal audit completed in {prev_month} was handed to investigators, officials said.",
               "Legal experts say cases of this kind often take several years to resolve."),
        quotes=("The public has a right to know how its money was spent",
                "My client has cooperated fully and will continue to do so",
                "These are allegations, and they will be tested in court",
                "Sunlight is the only remedy for this kind of suspicion",
                "We followed every rule that applied at the time",
                "The paperwork tells its own story"),
    ),
    Topic(
        key="science", section="Science",
        orgs=(("the {place} Observatory", "{place} observatory"),
              ("the {region} Institute of Technology", "{region} institute"),
              ("the {place} Marine Research Station", "{place} research station")),
        rivals=("the National Science Council", "the {region} Amateur Astronomers' Club",
                "the Research Funding Alliance", "the Dark Sky Trust"),
        roles=("astronomer", "lead researcher", "graduate student", "research director",
               "science policy analyst", "lab technician"),
        things=("telescope upgrade", "research funding bid", "dark sky reserve proposal",
                "deep-sea sampling mission", "climate monitoring network", "new laboratory wing"),
        issues=("light pollution", "cuts to research budgets", "ageing equipment",
                "competition for international funding", "a shortage of technical staff"),
        actions=(("unveiled", "unveils"), ("announced", "announces"), ("launched", "launches"),
                 ("postponed", "postpones"), ("completed", "completes"), ("backed", "backs")),
        units=("researchers", "students", "visitors"),
        headlines=("{head_org} {action_now} {thing} in boost for {region} science",
                   "Scientists in {place} celebrate as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} despite {issue}",
                   "A closer look at the {thing} in {place}",
                   "Researchers warn {issue} threatens {thing}"),
        facts=("The {thing} has been in planning since {past_year} and involves teams from {num_small} universities.",
               "Light levels measured near {place} have roughly doubled over the past decade, according to survey "
               "data.",
               "The project is expected to produce around {num_big} gigabytes of data each night.",
               "Funding of {money} was confirmed on {weekday} after a lengthy review.",
               "Several of the instruments at the site are more than thirty years old.",
               "Students from local schools will be offered visits once the work is complete.",
               "The first results are not expected until late next year."),
        quotes=("We are finally able to see what we have been guessing at for years",
                "Science is a long game, and funding cycles are short",
                "Every streetlight pointed at the sky is a star we lose",
                "This puts {place} on the map for researchers around the world",
                "The equipment is older than most of the students using it",
                "It is a very good day for curious people"),
    ),
    Topic(
        key="sport", section="Sport",
        orgs=(("{place} Athletic", "{place} Athletic"),
              ("the {region} Football League", "{region} league"),
              ("the {place} Sports Trust", "{place} sports trust")),
        rivals=("the {place} Supporters' Trust", "the {place2} Residents' Association",
                "the {region} Sports Council", "the Grassroots Football Fund"),
        roles=("club chairman", "head coach", "season ticket holder", "league commissioner",
               "stadium manager", "youth team captain"),
        things=("stadium redevelopment", "ticket price rise", "youth academy expansion",
                "ground-sharing agreement", "artificial pitch plan", "season ticket scheme"),
        issues=("falling gate receipts", "crumbling terraces", "parking problems on match days",
                "mounting debts", "a disappointing season"),
        actions=(("unveiled", "unveils"), ("approved", "approves"), ("postponed", "postpones"),
                 ("scrapped", "scraps"), ("announced", "announces"), ("backed", "backs")),
        units=("supporters", "season ticket holders", "young players"),
        headlines=("{head_org} {action_now} {thing} ahead of new season",
                   "Fans react as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} amid {issue}",
                   "Can the {thing} revive {place}'s fortunes?",
                   "{place} supporters fear {thing} will price them out"),
        facts=("Average attendance at home matches has fallen to about {num_big} this season.",
               "The club's accounts for last year showed losses of {money}.",
               "The main stand was built in {old_year} and has needed repeated repairs.",
               "The youth academy currently trains around {num_mid} players aged between eight and eighteen.",
               "The {thing} would be funded partly by a loan and partly by the sale of land next to the ground.",
               "Residents have long complained about parking and litter on match days.",
               "The club sits {ordinal} from bottom in the table after a run of {num_small} games without a win."),
        quotes=("This club belongs to the town, not to the balance sheet",
                "We want a ground our grandchildren will be proud of",
                "The fans have stuck with us through thin and thinner",
                "Nobody should be priced out of watching their local team",
                "Results on the pitch start with investment off it",
                "We listened to the supporters, and we changed the plan"),
    ),
    Topic(
        key="culture", section="Culture",
        orgs=(("the {place} Museum of Art", "{place} museum"),
              ("the {region} Arts Council", "{region} arts council"),
              ("the {place} Winter Festival Committee", "{place} festival")),
        rivals=("the Friends of {place} Museum", "the {region} Artists' Collective",
                "the Heritage Buildings Trust", "the {place} Gallery Owners' Circle"),
        roles=("museum director", "curator", "festival organiser", "sculptor", "arts critic",
               "volunteer guide"),
        things=("free admission trial", "collection loan agreement", "winter festival programme",
                "gallery refurbishment", "artist residency scheme", "arts funding cut"),
        issues=("falling visitor numbers", "the cost of heating old buildings", "cuts to arts grants",
                "a disputed acquisition", "volunteer shortages"),
        actions=(("unveiled", "unveils"), ("announced", "announces"), ("postponed", "postpones"),
                 ("approved", "approves"), ("scrapped", "scraps"), ("launched", "launches")),
        units=("visitors", "artists", "ticket holders"),
        headlines=("{head_org} {action_now} {thing} to win back visitors",
                   "Artists in {place} react as {head_org} {action_now} {thing}",
                   "{head_org} {action_now} {thing} amid {issue}",
                   "Behind the scenes of the {thing} in {place}",
                   "Can the {thing} put {place} back on the cultural map?"),
        facts=("Visitor numbers at the museum fell to {num_big} last year, down {pct} percent on the year before.",
               "The {thing} will cost {money}, funded mainly by grants and private donations.",
               "The collection includes more than {num_big} objects, most of which are kept in storage.",
               "Last year's festival drew visitors from {num_small} countries, organisers said.",
               "The building, which dates from {old_year}, needs a new roof and heating system.",
               "Volunteers run the information desk and guided tours on weekends.",
               "A public exhibition of the plans opens on {future_date}."),
        quotes=("Art should not be a luxury for people who can afford a ticket",
                "A museum that nobody visits is just an expensive warehouse",
                "The festival is what gets this town through the darkest weeks of the year",
                "We are custodians of these works, not owners",
                "Culture is the first thing cut and the last thing restored",
                "People come for the lights and stay for the music"),
    ),
)

# Opening sentences: name the actor, the action and the object, but nobody quoted yet.
LEADS = (
    "{org} {action} the {thing} on {weekday}, a decision that [could reshape|will affect|is likely to change] [daily "
    "life|the local economy|public services] in {place} [for years to come|well into the next decade].",
    "[Officials in|Leaders in|Authorities in] {place} {action} the {thing} on {weekday} [after months of "
    "debate|following a lengthy public consultation|despite strong local opposition].",
    "After [weeks|months] of [uncertainty|speculation|negotiation], {org} {action} the {thing} [late on|early on] "
    "{weekday}.",
    "{place} [woke up|awoke] on {weekday} to news that {org} had {action} the {thing}.",
    "In a [decision|move] [that surprised few|that surprised many|few had predicted], {org} {action} the {thing} on "
    "{weekday}.",
    "The long-running dispute over the {thing} took a new turn on {weekday} when {org} {action} it.",
    "{org} has {action} the {thing}, [officials confirmed|a spokesperson confirmed|according to documents made "
    "public] on {weekday}.",
    "[Residents|Families|Businesses] across {place} are [weighing|digesting|coming to terms with] the news that {org} "
    "has {action} the {thing}.",
)

# Opening sentences for a follow-up story about an earlier event.
FOLLOW_LEADS = (
    "[Days|A week] after {org} {action} the {thing}, [questions are mounting|attention has turned] to [what happens "
    "next|how it will work in practice].",
    "The fallout from the decision on the {thing} [continued|deepened] this week as new details emerged about its "
    "cost and timetable.",
)

# Body sentences that fit any topic.  Persons ({p1_last} etc.) may only appear after the
# person has been introduced by a quote, which the generator enforces.
GENERIC = (
    "The {thing} is expected to affect [roughly|about|around] {num_big} {units} [across|in] {region}.",
    "Critics [say|argue|contend] the plan does little to address {issue}[, which has worsened over the past two "
    "years|, a problem that predates the current leadership|].",
    "Officials in {place} first raised concerns about {issue} in a report published [last spring|in {past_year}|two "
    "years ago].",
    "According to figures released by {org}, costs have risen by {pct} percent since {past_year}.",
    "A spokesperson for {rival} said the group would study the details [before deciding on its next step|before "
    "commenting further|carefully over the coming days].",
    "[Residents|People] who attended a public meeting [on {weekday}|earlier this week] were divided, with some "
    "applauding and others [walking out|shouting questions from the back of the hall].",
    "It is the {ordinal} time in {num_small} years that {place} has faced [a decision of this scale|a dilemma of this "
    "kind|such a choice].",
    "The package includes {money} in new spending, [most of it|much of it|the bulk of it] spread over the next three "
    "years.",
    "[Opponents|Critics|Some local leaders] argued that smaller communities in {region} would bear a disproportionate "
    "share of the burden.",
    "{org} said it would publish a detailed breakdown of the figures [before the end of the month|within weeks|once "
    "the review is complete].",
    "Local business owners have warned that uncertainty over {issue} is already [affecting investment|deterring new "
    "customers|making planning difficult].",
    "A public consultation drew more than {num_mid} written responses, [the largest number on record|far more than "
    "officials had expected|many of them strongly worded].",
    "The proposal had been delayed twice, first by a legal review and then by a dispute over funding.",
    "{rival} has called for an independent review of [the process|how the decision was reached|the figures].",
    "Independent analysts were cautious, noting that similar [schemes|measures|efforts] elsewhere had [produced mixed "
    "results|struggled to deliver on their promises|taken years to show any effect].",
    "In a written statement, {org} said the measures were [temporary|provisional|a first step] and would be reviewed "
    "in {future_month}.",
    "The changes will take effect on {future_date}, giving {units} [about|roughly] {num_small} weeks to prepare.",
    "Data compiled by the regional statistics office show a steady [rise|increase] in complaints about {issue} since "
    "{past_year}.",
    "The last comparable [decision|measure], in {past_year}, was reversed within eighteen months.",
    "Supporters say the move will save money in the long run, though few have put a figure on it.",
    "The figures have not been independently verified.",
    "Attendance at [the public hearing|a briefing for residents] was so high that dozens of people [watched from the "
    "corridor|were turned away at the door].",
    "The measure still requires approval from {region} authorities, which is expected [within weeks|before the new "
    "year|early next year].",
    "Questions remain about how the work will be staffed, given existing shortages in {place}.",
    "A similar [proposal|effort] in neighbouring {place2} was abandoned last year after [a legal challenge|costs "
    "spiralled|local opposition].",
    "{org} declined to comment on reports that [the cost estimate|the timetable] had been revised [twice|several "
    "times].",
    "Polling commissioned by {rival} suggested that {pct} percent of residents backed the idea in principle.",
    "Officials stressed that no final decision had been made on [a second phase|further measures|the longer-term "
    "plan].",
    "[Some|Several] residents said they had learned of the {thing} only through social media.",
    "The {thing} has been discussed in various forms since at least {past_year}.",
    "A report presented to officials [last month|in {prev_month}] described {issue} as [the single biggest risk|a "
    "growing threat|an urgent priority] for {place}.",
    "[Neighbouring|Nearby] {place2} is watching closely, with officials there expected to consider similar steps.",
    "[Funding|Money] for the {thing} will come partly from reserves and partly from a grant[ awarded earlier this "
    "year| that has yet to be confirmed].",
    "Several community groups in {place} have [organised|planned] [petitions|meetings|a letter-writing campaign] in "
    "response.",
    "The timing [is awkward|could hardly be worse|has raised eyebrows], coming just weeks before [the winter|the end "
    "of the financial year|the holiday season].",
    "Under the plans, progress will be reported publicly every {num_small} weeks.",
    "[Observers|Long-time observers] of local affairs said the episode reflected a wider frustration with how "
    "decisions are made in {region}.",
    "The cost of doing nothing, officials argued, would be far higher.",
    "At least {num_small} formal complaints were lodged [in the days before the announcement|within hours of the "
    "announcement].",
    "[Residents|People] in {place2} and other outlying areas say they were not consulted.",
    "A dedicated phone line and web page have been set up to answer questions from the public.",
    "Those closest to the issue say the real test will come [over the winter|in the spring|when the first bills "
    "arrive].",
    "An earlier version of the {thing} was [withdrawn|shelved] in {past_year} after [protests|a funding "
    "shortfall|legal advice].",
    "The announcement was made at a [crowded|packed|brief] press conference in {place} on {weekday}.",
    "[Experts|Academics] who have studied {issue} say there are no quick fixes.",
    "{org} has faced criticism in the past over [its handling of|its response to] {issue}.",
    "The {thing} is one of [several|a number of] measures [announced|being considered] this year.",
    "Reaction on the streets of {place} was [mixed|muted|largely positive].",
    "A [petition|open letter] opposing the plan has gathered more than {num_big} signatures.",
    "[Some|Many] of those affected have [lived|worked] in {place} for generations.",
    "[Insiders|People familiar with the discussions] said the final wording had been agreed only [hours|days] before "
    "the announcement.",
    "A full assessment of the impact is due to be published in {future_month}.",
    "Regional leaders in {region} have so far [stayed silent|offered cautious support|declined to take sides].",
    "The decision [follows|comes after] a [turbulent|difficult|long] year for {org}.",
    "{p1_last} said the timetable was [tight but achievable|ambitious|realistic] and that [work would begin "
    "soon|contracts were ready to be signed|staff had already been briefed].",
    "{p1_last} [acknowledged|conceded] that the {thing} [would not please everyone|was a compromise|left some "
    "questions unanswered].",
    "{p2_last}, who has [worked on|followed] the issue for more than a decade, described the {thing} as [overdue|a "
    "missed opportunity|a modest improvement].",
    "Neither {p1_last} nor {p2_last} would say whether further changes were likely.",
    "{p2_last} said the outcome showed that [persistent|sustained] public pressure could change official minds.",
    "Under the plan, oversight will pass to a new committee chaired by {p1_last}.",
    "The debate has become a test of {p1_last}'s standing [ahead of next year's elections|within {org}].",
    "Those figures, {p3_last} noted, do not include [the cost of borrowing|staff time|maintenance].",
    "{p3_last} urged residents to [read the proposals carefully|attend the next meeting|make their views known].",
    "According to {p2_last}, the [real problem|underlying issue] is {issue}, not the {thing} itself.",
    "{p1_last} [is expected to|will] [brief|update] [members|the public] again [next week|later this month].",
    "{p3_last} [questioned|challenged] whether the {thing} would [survive legal scrutiny|deliver the promised "
    "savings|reach those who needed it most].",
)

# Closing sentences: what happens next.
CLOSERS = (
    "[A further vote|A follow-up meeting|The next public hearing] is scheduled for {future_date}.",
    "{org} [said|indicated] it would [publish|release] [further details|a full report|an updated timetable] [in the "
    "coming weeks|before the end of the year|early next year].",
    "For now, [residents|many in {place}|those most affected] say they are waiting to see whether the promises hold.",
    "The {thing} is due to be reviewed in {future_month}, when officials will [decide|consider] whether to extend it.",
    "[Whatever happens next|Either way], the debate over {issue} [shows no sign of ending|is unlikely to fade soon].",
    "{rival} said it would [continue to monitor|keep a close eye on] developments and urged residents to [take part "
    "in|attend] the next consultation.",
)

# Quotes usable on any beat (topic quotes are preferred; these top up the pool).
GENERIC_QUOTES = (
    "This is not the end of the conversation, it is the beginning of one",
    "People have been waiting long enough for a straight answer",
    "We will look at the details carefully before we say anything more",
    "Nobody pretends this is a perfect solution",
    "The numbers simply do not add up",
    "I have never seen this many people turn out for a meeting like this",
    "We were told this would be the easy part",
    "If we get this wrong, it is the next generation that pays for it",
    "There is a lot of anger out there and I understand why",
    "We asked for a seat at the table and we finally got one",
    "It is a step in the right direction, but only a step",
    "Frankly, we expected more",
    "Families deserve certainty, and right now they have none",
    "Nobody voted for this, and nobody was asked",
)

# First quote by a person: introduces name and role.  {p}, {last}, {role}, {a_role}.
QUOTE_INTROS = (
    '"{quote}," said {p}, {a_role}.',
    '"{quote}," {p}, the {role}, told reporters.',
    '{p}, {a_role}, was blunt: "{quote}."',
    'Speaking [after the meeting|outside the building|to reporters], {p}, the {role}, said: "{quote}."',
    '"{quote}," said {p}, who works as {a_role} in {place}.',
)

# Later quotes by someone already introduced.
QUOTE_FOLLOWS = (
    '"{quote}," {last} said.',
    '"{quote}," {last} added.',
    '{last} put it more bluntly: "{quote}."',
    '"{quote}," {last} said [in an interview|later that evening|in a statement].',
    'Asked about {issue}, {last} replied: "{quote}."',
)

# Editors' notes for republished copies that add an introduction of their own.
EDITOR_NOTES = (
    "Editor's note: We are republishing this report because {issue} has [become a pressing concern|drawn many "
    "questions] among our readers in {region}. [It is reproduced in full below.|The original text follows unchanged.] "
    "[Our own coverage of the story continues this week.|We will follow up with local reaction in the coming days.]",
    "Editor's note: Readers have asked us to explain what the {thing} means for {place} and the surrounding area. "
    "[The following report sets out the details.|This report, republished with permission, sets out what is known so "
    "far.] [We have added nothing to it.|Our comments appear only in this note.]",
    "Editor's note: The debate over the {thing} has [dominated|filled] our inbox this week. [We think this report is "
    "the clearest account of it so far.|The report below is the most complete account we have seen.] [Comments are "
    "open below.|Let us know what you think.]",
)

# Pairs (from, to) for lightly edited copies: a few words swapped, the rest untouched.
NEAR_EDITS = (
    ("said", "stated"), ("about", "around"), ("residents", "locals"), ("percent", "per cent"),
    ("officials", "authorities"), ("roughly", "approximately"), ("expected", "anticipated"),
    ("plan", "proposal"), ("warned", "cautioned"), ("far", "much"),
)
