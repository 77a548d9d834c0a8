#!/usr/bin/env python3
"""Generate Junction's demo register for Millbrook, a fictional town.

Millbrook does not exist. It is laid over real-sized geography in north-west
England so that maps, distances and postcode districts behave realistically,
but every organisation, place, person, phone number, email address and website
in the output is made up. Phone numbers are in Ofcom's drama range
(0161 496 0xxx); email addresses and websites use the reserved `.example`
top-level domain.

The output is deterministic: the same script always writes the same file.

    python3 data/demo/generate.py

writes data/demo/register.json next to this script. Standard library only.
"""

import json
import os
import random
import uuid

SEED = 20261125
rng = random.Random(SEED)

ORG_SUFFIX = " (Demo data: Millbrook is a fictional town.)"
SUFFIX = " (Demo data.)"
TOWN = "Millbrook"

# The town centre and the box records are kept inside (about 8 km across).
CENTRE = (53.5409, -2.1114)
LAT_SPREAD = 0.035
LON_SPREAD = 0.06

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "register.json")


def new_id():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ---------------------------------------------------------------------------
# Neighbourhoods, streets and postcodes
# ---------------------------------------------------------------------------

# key: (name, centre latitude, centre longitude, outward code, streets)
HOODS = {
    "centre": ("Millbrook Centre", 53.5409, -2.1114, "OL1", [
        "Market Street", "Weavers Row", "Cotton Exchange Street", "Chapel Walk",
        "Foundry Street", "Albion Road", "Spindle Street", "Civic Square",
        "Queensway Parade", "Lodge Lane",
    ]),
    "hollins": ("Hollins Green", 53.5615, -2.1355, "OL2", [
        "Hollins Lane", "Greenacre Road", "Larkhill Avenue", "Moorfield Drive",
        "Beechwood Close", "Hollins Brow", "Tanners Way",
    ]),
    "castleshaw": ("Castleshaw Road", 53.5560, -2.0760, "OL3", [
        "Castleshaw Road", "Delph View", "Heathertop Lane", "Reservoir Terrace",
        "Kiln Croft", "Upper Moor Street", "Pennine Walk",
    ]),
    "werneth": ("Werneth Vale", 53.5290, -2.0790, "OL4", [
        "Vale Road", "Werneth Hall Lane", "Clough Street", "Ashworth Street",
        "Grange Avenue", "Priory Way", "Lowbank Street",
    ]),
    "brookside": ("Brookside", 53.5175, -2.1080, "OL8", [
        "Brookside Road", "Riverside Walk", "Kingfisher Way", "Dyers Lane",
        "Wharf Street", "Sluice Gate Lane", "Willow Bank",
    ]),
    "fernlea": ("Fernlea", 53.5330, -2.1560, "OL9", [
        "Fernlea Road", "Bracken Way", "Rowan Crescent", "Linnet Close",
        "Thornbank Avenue", "Brambling Drive", "Heron Street",
    ]),
}

# Letters allowed in the last two places of a UK inward code.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

_street_postcode = {}
_street_point = {}
_used_postcodes = set()


def clamp(value, low, high):
    return max(low, min(high, value))


def street_info(hood_key, street):
    """Each street gets one postcode and an anchor point, the first time it is used."""
    key = (hood_key, street)
    if key not in _street_postcode:
        _, lat, lon, outward, _ = HOODS[hood_key]
        while True:
            inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            postcode = f"{outward} {inward}"
            if postcode not in _used_postcodes:
                _used_postcodes.add(postcode)
                break
        _street_postcode[key] = postcode
        _street_point[key] = (
            clamp(rng.gauss(lat, 0.0045), CENTRE[0] - LAT_SPREAD + 0.002, CENTRE[0] + LAT_SPREAD - 0.002),
            clamp(rng.gauss(lon, 0.0075), CENTRE[1] - LON_SPREAD + 0.003, CENTRE[1] + LON_SPREAD - 0.003),
        )
    return _street_postcode[key], _street_point[key]


_used_uprns = set()


def new_uprn():
    while True:
        uprn = str(rng.randint(10_000_000_000, 10_099_999_999))
        if uprn not in _used_uprns:
            _used_uprns.add(uprn)
            return uprn


_used_phones = set()


def new_phone():
    """A fictional number from Ofcom's drama range for Manchester."""
    while True:
        n = rng.randint(0, 999)
        if n not in _used_phones:
            _used_phones.add(n)
            return f"0161 496 0{n:03d}"


FIRST_NAMES = [
    "Aisha", "Tom", "Priya", "Gareth", "Joanna", "Imran", "Beata", "Declan", "Fatima",
    "Sian", "Mohammed", "Claire", "Ravinder", "Kelly", "Andrei", "Nadia", "Ruth",
    "Hamza", "Liam", "Shabana", "Ewa", "Graham", "Yasmin", "Pauline", "Kwame",
    "Bernadette", "Tariq", "Lucy", "Amina", "Stuart",
]
LAST_NAMES = [
    "Hussain", "Whitehead", "Kowalski", "Begum", "Ashworth", "Patel", "Brierley",
    "Okafor", "Schofield", "Khan", "Lees", "Popescu", "Mahmood", "Taylor", "Ahmed",
    "Nowak", "Hirst", "Rahman", "Buckley", "Singh", "Kershaw", "Ali", "Farrow",
    "Hassan", "Mellor", "Warsame", "Dunne", "Chowdhury",
]
_used_people = set()


def new_person(domain, job_title):
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) not in _used_people:
            _used_people.add((first, last))
            break
    return {
        "name": f"{first} {last}",
        "job_title": job_title,
        "email": f"{first.lower()}.{last.lower()}@{domain}",
        "phone": new_phone(),
    }


def slugify(text):
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

# key, name, org_type, identifier, domain, description
ORGS = [
    ("mbc", "Millbrook Borough Council (demo)", "council", None, "millbrookcouncil.example",
     "The local authority for Millbrook. It runs libraries, parks, housing options, adult social care "
     "and children's services, and owns most of the town's public buildings and land."),
    ("parish", "Castleshaw Parish Council", "council", None, "castleshawparish.example",
     "The parish council for the Castleshaw Road area, looking after the village hall, the war memorial "
     "and local footpaths."),
    ("nhs", "Northern Care NHS Trust", "nhs_body", None, "northerncare-nhs.example",
     "The NHS trust providing community health, mental health and sexual health services across Millbrook, "
     "from the health centre, community hospital and local clinics."),
    ("brookside_surgery", "Brookside Surgery", "nhs_body", None, "brooksidesurgery.example",
     "An NHS GP practice serving about 9,000 patients in Brookside and the south of the town."),
    ("hollins_gp", "Hollins Green Medical Practice", "nhs_body", None, "hollinsgreenmedical.example",
     "An NHS GP practice for Hollins Green with doctors, practice nurses, a clinical pharmacist and a "
     "social prescribing link worker."),
    ("police", "Greater Millbrook Police", "police", None, "millbrookpolice.example",
     "The police force for Millbrook, with neighbourhood policing teams based in each part of the town."),
    ("mha", "Millbrook Housing Association", "housing_association", "L4821", "millbrookhousing.example",
     "A not-for-profit landlord with around 6,000 homes for rent in Millbrook, including sheltered "
     "housing for older people."),
    ("wvh", "Werneth Vale Homes", "housing_association", "L5093", "wernethvalehomes.example",
     "A community-based housing association owning most of the homes on the Werneth Vale estate and "
     "running the Werneth Vale Community Hub."),
    ("foodbank", "Millbrook Food Bank", "charity", "1187432", "millbrookfoodbank.example",
     "An independent food bank giving emergency food parcels to local people in crisis, run by volunteers "
     "from churches and community groups."),
    ("cab", "Millbrook Citizens Advice", "charity", "1098765", "millbrookcitizensadvice.example",
     "Free, independent and confidential advice on benefits, debt, housing, employment and consumer "
     "problems for anyone who lives or works in Millbrook."),
    ("womensaid", "Millbrook Women's Aid", "charity", "1112233", "millbrookwomensaid.example",
     "Support, safe accommodation and advocacy for women and children affected by domestic abuse."),
    ("carers", "Millbrook Carers Centre", "charity", "1124578", "millbrookcarers.example",
     "Information, advice, groups and short breaks for unpaid carers of all ages looking after a relative "
     "or friend."),
    ("agefriendly", "Age Friendly Millbrook", "charity", "1156890", "agefriendlymillbrook.example",
     "A local charity for people over 60: lunch clubs, befriending, memory cafés, digital help and advice "
     "on later life."),
    ("opendoor", "Open Door Wellbeing", "charity", "1176543", "opendoorwellbeing.example",
     "A mental health charity offering peer support groups, bereavement counselling, creative sessions "
     "and an evening crisis café."),
    ("youth", "Millbrook Youth Trust", "charity", "1169012", "millbrookyouth.example",
     "Youth clubs, one-to-one support, music and mentoring for young people aged 11 to 25."),
    ("littlesteps", "Little Steps Millbrook", "charity", "1145326", "littlestepsmillbrook.example",
     "A children's charity running a nursery, stay and play sessions, breastfeeding support and parenting "
     "courses from the Little Steps Children's Centre in Fernlea."),
    ("transport", "Millbrook Community Transport", "charity", "1079214", "millbrookcommunitytransport.example",
     "Accessible minibuses and a volunteer car scheme for people who find it hard to use buses."),
    ("sensory", "Millbrook Sight and Sound", "charity", "1068342", "millbrooksightandsound.example",
     "Support, equipment and social groups for people who are blind, partially sighted, deaf, deafened "
     "or hard of hearing."),
    ("victims", "Millbrook Victims' Hub", "charity", "1190876", "millbrookvictimshub.example",
     "Free, confidential emotional and practical support for victims and witnesses of crime, whether or "
     "not it was reported to the police."),
    ("volunteer", "Millbrook Volunteer Centre", "charity", "1134509", "volunteermillbrook.example",
     "Matches volunteers with local groups and charities, and supports organisations to recruit and look "
     "after volunteers."),
    ("refugee", "Millbrook Refugee Welcome", "charity", "1182245", "millbrookrefugeewelcome.example",
     "A welcome centre for refugees, asylum seekers and new arrivals, with English classes, regulated "
     "immigration advice and a weekly café."),
    ("active", "Millbrook Active", "charity", "1161118", "millbrookactive.example",
     "The not-for-profit leisure trust running Millbrook Leisure Centre and Werneth Vale Sports Centre, "
     "with swimming, gyms, classes and health walks."),
    ("arts", "Millbrook Arts Collective", "community_group", None, "millbrookarts.example",
     "Artists and makers running open studios, pottery and print classes and a community theatre group "
     "at the Old Dye Works."),
    ("shed", "Fernlea Men's Shed", "community_group", None, "fernleashed.example",
     "A workshop where men (and anyone else) meet to make, mend, chat and share skills over a brew."),
    ("hgca", "Hollins Green Community Association", "community_group", None, "hollinsgreencc.example",
     "A residents' association that runs Hollins Green Community Centre, its café and its rooms for hire."),
    ("fca", "Fernlea Community Association", "community_group", None, "fernleacommunity.example",
     "Residents who took over Fernlea Community Centre from the council and run it for local groups."),
    ("bra", "Brookside Residents' Association", "community_group", None, "brooksideresidents.example",
     "Tenants and residents working together to improve the Brookside estate, based in the community flat "
     "on Kingfisher Way."),
    ("fowvp", "Friends of Werneth Vale Park", "community_group", None, "friendsofwernethvale.example",
     "Volunteers who look after Werneth Vale Park and Werneth Clough, with work days, wildlife surveys "
     "and guided walks."),
    ("allotments", "Castleshaw Road Allotment Society", "community_group", None, "castleshawallotments.example",
     "Runs the Castleshaw Road allotments, letting plots and organising a seed swap and an annual show."),
    ("choir", "Millbrook Community Choir", "community_group", None, "millbrookchoir.example",
     "A friendly, non-auditioned choir singing pop, gospel and folk songs."),
    ("bikes", "Brookside Bike Kitchen", "community_group", None, "brooksidebikekitchen.example",
     "A volunteer-run workshop teaching people to fix their own bikes and passing on refurbished bikes."),
    ("staidans", "St Aidan's Church", "faith_group", None, "staidansmillbrook.example",
     "A Church of England parish church in the town centre with a busy church hall used by many "
     "community groups."),
    ("mosque", "Millbrook Central Mosque", "faith_group", "1102211", "millbrookcentralmosque.example",
     "A mosque and Islamic centre open for daily prayers, with a community kitchen, women's groups and "
     "supplementary classes."),
    ("gurdwara", "Guru Nanak Gurdwara Millbrook", "faith_group", None, "gurdwaramillbrook.example",
     "A Sikh gurdwara in Werneth Vale serving free langar to everyone, every day."),
    ("methodist", "Brookside Methodist Church", "faith_group", None, "brooksidemethodist.example",
     "A Methodist church whose Wesley Hall hosts a lunch club, the Millbrook Faith Forum and community "
     "groups."),
    ("college", "Millbrook College", "education", "10098765", "millbrookcollege.example",
     "The town's further education college, offering ESOL, adult courses, apprenticeships and "
     "vocational qualifications."),
    ("hgprimary", "Hollins Green Primary School", "education", None, "hollinsgreenprimary.example",
     "A community primary school for children aged 4 to 11, with rooms and a hall for hire out of hours."),
    ("academy", "Castleshaw Academy", "education", None, "castleshawacademy.example",
     "A secondary school whose sports hall, 3G pitch and drama studio are available to the community in "
     "the evenings and at weekends."),
    ("pharmacy", "Fernlea Pharmacy", "business", "09876543", "fernleapharmacy.example",
     "An independent community pharmacy dispensing NHS prescriptions and offering health checks."),
    ("dental", "Brookside Dental Practice", "business", None, "brooksidedental.example",
     "A dental practice taking NHS and private patients."),
    ("cafe", "The Old Mill Café", "business", None, "oldmillcafe.example",
     "A café in the old mill on Foundry Street running a pay-as-you-feel community menu."),
    ("creditunion", "Millbrook Credit Union", "other", "213456", "millbrookcu.example",
     "A financial co-operative owned by its members, offering savings accounts and affordable loans."),
    ("getonline", "Get Online Millbrook CIC", "other", "13579246", "getonlinemillbrook.example",
     "A community interest company helping people get online, with free digital help sessions, "
     "device loans and free mobile data."),
]

organisations = []
ORG = {}  # key -> record
DOMAIN = {}
for i, (key, name, org_type, identifier, domain, description) in enumerate(ORGS):
    rec = {"id": new_id(), "name": name, "description": description + ORG_SUFFIX, "org_type": org_type}
    if identifier:
        rec["identifier"] = identifier
    rec["website"] = f"https://{domain}"
    # A few small groups have no shared inbox or no phone.
    if org_type != "community_group" or i % 2 == 0:
        rec["email"] = f"hello@{domain}"
    if org_type != "community_group" or i % 3 != 0:
        rec["phone"] = new_phone()
    organisations.append(rec)
    ORG[key] = rec
    DOMAIN[key] = domain

# ---------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------

A_FULL = ["step_free_access", "accessible_toilet", "hearing_loop", "lift", "accessible_parking",
          "baby_change", "assistance_dogs_welcome"]
A_GOOD = ["step_free_access", "accessible_toilet", "hearing_loop", "assistance_dogs_welcome"]
A_BASIC = ["step_free_access", "accessible_toilet"]
A_STEP = ["step_free_access"]
A_NONE = []

# key, organisation key, name, neighbourhood, street, accessibility, description.
# The two refuges sit on streets no other record uses; their addresses are hidden from the public.
LOCS = [
    ("town_hall", "mbc", "Millbrook Town Hall", "centre", "Civic Square", A_FULL + ["large_print"],
     "The Victorian town hall, with an assembly hall and meeting rooms for hire."),
    ("civic_centre", "mbc", "Millbrook Civic Centre", "centre", "Civic Square", A_FULL + ["quiet_space", "large_print"],
     "The council's customer service centre for housing, council tax, benefits and social care enquiries."),
    ("central_library", "mbc", "Millbrook Central Library", "centre", "Market Street",
     A_FULL + ["changing_places", "quiet_space", "large_print", "gender_neutral_toilet"],
     "The main library, with public computers, free wifi, a children's library and a local studies room."),
    ("hg_library", "mbc", "Hollins Green Library", "hollins", "Hollins Lane", A_GOOD + ["baby_change"],
     "A neighbourhood library with a community room."),
    ("fernlea_library", "mbc", "Fernlea Library", "fernlea", "Fernlea Road", A_BASIC,
     "A small branch library next to the shops on Fernlea Road."),
    ("museum", "mbc", "Millbrook Museum and Art Gallery", "centre", "Albion Road", A_FULL,
     "The town museum, telling the story of Millbrook's cotton mills, with a changing art gallery."),
    ("park", "mbc", "Werneth Vale Park", "werneth", "Vale Road", ["step_free_access", "accessible_toilet", "parking", "baby_change"],
     "A large park with a pavilion, play area, bowling green and paths into Werneth Clough."),
    ("rec", "mbc", "Brookside Recreation Ground", "brookside", "Riverside Walk", ["parking"],
     "Playing fields with football pitches and a changing pavilion."),
    ("hg_park", "mbc", "Hollins Green Park", "hollins", "Moorfield Drive", ["step_free_access"],
     "A neighbourhood park with a children's play area and a multi-use games area."),
    ("family_hub", "mbc", "Brookside Family Hub", "brookside", "Brookside Road", A_FULL + ["quiet_space"],
     "A family hub where parents can see health visitors, family support workers and early help teams."),
    ("day_centre", "mbc", "Fernlea Day Centre", "fernlea", "Rowan Crescent", A_FULL + ["changing_places", "quiet_space"],
     "A day centre for older people and people living with dementia."),
    ("market_hall", "mbc", "Millbrook Market Hall", "centre", "Market Street", ["step_free_access", "accessible_toilet", "baby_change"],
     "The indoor market, with an events space used for fairs and pop-up markets."),
    ("village_hall", "parish", "Castleshaw Village Hall", "castleshaw", "Castleshaw Road", A_BASIC + ["parking", "hearing_loop"],
     "A stone-built village hall with a main hall and kitchen."),
    ("health_centre", "nhs", "Millbrook Health Centre", "centre", "Lodge Lane", A_FULL + ["changing_places"],
     "The town's main health centre, home to community clinics and the talking therapies team."),
    ("wellbeing_hub", "nhs", "Fernlea Wellbeing Hub", "fernlea", "Thornbank Avenue", A_GOOD + ["quiet_space"],
     "A community mental health base with therapy rooms."),
    ("hospital", "nhs", "Millbrook Community Hospital", "werneth", "Werneth Hall Lane", A_FULL + ["changing_places", "parking"],
     "A community hospital with outpatient clinics, a memory service and the wheelchair service."),
    ("sexual_health", "nhs", "Millbrook Sexual Health Clinic", "centre", "Chapel Walk", A_BASIC + ["gender_neutral_toilet", "quiet_space"],
     "A confidential sexual health clinic with a separate entrance."),
    ("castleshaw_clinic", "nhs", "Castleshaw Road Clinic", "castleshaw", "Upper Moor Street", A_BASIC + ["baby_change", "parking"],
     "A small clinic used for child health, stop smoking and nurse-led sessions."),
    ("brookside_surgery", "brookside_surgery", "Brookside Surgery", "brookside", "Willow Bank", A_GOOD + ["accessible_parking", "baby_change"],
     "A GP surgery with a car park and a pharmacy next door."),
    ("hg_surgery", "hollins_gp", "Hollins Green Medical Practice", "hollins", "Greenacre Road", A_GOOD + ["baby_change"],
     None),
    ("police_station", "police", "Millbrook Police Station", "centre", "Foundry Street", A_GOOD + ["accessible_parking"],
     "The town's police station, with a front counter for reporting crime and lost property."),
    ("mha_office", "mha", "Millbrook Housing Association Office", "centre", "Weavers Row", A_FULL,
     "Head office and customer service desk for Millbrook Housing Association tenants."),
    ("ashworth_court", "mha", "Ashworth Court", "hollins", "Beechwood Close", A_FULL + ["assistance_dogs_welcome"],
     "Sheltered housing with a residents' lounge used for lunches and activities."),
    ("castleshaw_court", "mha", "Castleshaw Court", "castleshaw", "Kiln Croft", A_FULL,
     "Sheltered housing for people over 60 with a community lounge."),
    ("wvh_hub", "wvh", "Werneth Vale Community Hub", "werneth", "Ashworth Street", A_GOOD + ["baby_change"],
     "The estate's community hub: housing office, community pantry, lounge and a kitchen."),
    ("wvh_garden", "wvh", "Werneth Vale Community Garden", "werneth", "Grange Avenue", ["step_free_access"],
     "A community garden with raised beds, a polytunnel and an outdoor classroom."),
    ("foodbank_warehouse", "foodbank", "Millbrook Food Bank Warehouse", "centre", "Spindle Street", A_STEP + ["parking"],
     "The food bank's warehouse, where donations are sorted. Food parcels are not given out here."),
    ("cab_office", "cab", "Millbrook Citizens Advice", "centre", "Queensway Parade", A_GOOD + ["quiet_space", "large_print"],
     "Citizens Advice offices with private interview rooms."),
    ("refuge_a", "womensaid", "Millbrook Women's Refuge", "hollins", "Sorrel Bank", A_BASIC,
     "Safe, self-contained rooms for women escaping domestic abuse. The address is confidential."),
    ("refuge_b", "womensaid", "Millbrook Family Refuge", "werneth", "Meadowcroft Lane", A_BASIC + ["baby_change"],
     "Safe flats for women and their children escaping domestic abuse. The address is confidential."),
    ("womensaid_office", "womensaid", "Millbrook Women's Aid Outreach Centre", "centre", "Cotton Exchange Street", A_GOOD + ["quiet_space"],
     "The outreach centre, for appointments with domestic abuse advocates and group work."),
    ("carers_centre", "carers", "Millbrook Carers Centre", "centre", "Albion Road", A_GOOD + ["quiet_space"],
     "A drop-in centre for unpaid carers with a quiet room and a café area."),
    ("age_hub", "agefriendly", "Age Friendly Millbrook Hub", "werneth", "Priory Way", A_FULL + ["large_print"],
     "A ground-floor hub for older people with a lounge, a computer corner and advice rooms."),
    ("opendoor_centre", "opendoor", "Open Door Wellbeing Centre", "hollins", "Tanners Way", A_BASIC + ["quiet_space", "gender_neutral_toilet"],
     "A calm, welcoming house with group rooms, a counselling room and an art room."),
    ("youth_centre", "youth", "Castleshaw Road Youth Centre", "castleshaw", "Castleshaw Road", A_BASIC + ["gender_neutral_toilet"],
     "A youth centre with a sports hall, a music studio, a games room and a kitchen."),
    ("youth_hut", "youth", "Fernlea Youth Hut", "fernlea", "Bracken Way", A_STEP,
     "A small youth building next to the Fernlea multi-use games area."),
    ("littlesteps_centre", "littlesteps", "Little Steps Children's Centre", "fernlea", "Linnet Close", A_FULL + ["baby_change", "quiet_space"],
     "A children's centre with a nursery, a sensory room and a garden."),
    ("transport_depot", "transport", "Millbrook Community Transport Depot", "brookside", "Wharf Street", ["parking", "step_free_access"],
     "Where the community minibuses are based. Not open to the public."),
    ("sensory_centre", "sensory", "Millbrook Sensory Centre", "centre", "Chapel Walk", A_GOOD + ["large_print", "lift"],
     "A resource centre for people with sight or hearing loss, with equipment to try before you buy."),
    ("victims_office", "victims", "Millbrook Victims' Hub", "centre", "Lodge Lane", A_GOOD + ["quiet_space"],
     None),
    ("volunteer_centre", "volunteer", "Millbrook Volunteer Centre", "centre", "Weavers Row", A_BASIC,
     "A shop-front office where you can drop in to talk about volunteering."),
    ("welcome_centre", "refugee", "Millbrook Welcome Centre", "centre", "Spindle Street", A_BASIC + ["baby_change"],
     "A welcome centre with classrooms, an advice room and a café."),
    ("active_leisure", "active", "Millbrook Leisure Centre", "centre", "Lodge Lane", A_FULL + ["changing_places", "parking"],
     "A leisure centre with a 25-metre pool, a learner pool, a gym, a sports hall and studios."),
    ("active_werneth", "active", "Werneth Vale Sports Centre", "werneth", "Clough Street", A_GOOD + ["parking"],
     "A sports centre with a sports hall and an outdoor floodlit pitch."),
    ("dye_works", "arts", "The Old Dye Works", "brookside", "Dyers Lane", A_STEP,
     "A converted dye works with artists' studios, a pottery and a print workshop."),
    ("shed", "shed", "Fernlea Men's Shed", "fernlea", "Heron Street", A_STEP + ["parking"],
     "A well-equipped woodwork and metalwork shed behind Fernlea Community Centre."),
    ("hg_cc", "hgca", "Hollins Green Community Centre", "hollins", "Larkhill Avenue", A_FULL + ["baby_change"],
     "A community centre with a large hall, a meeting room, a community kitchen and a garden."),
    ("fernlea_cc", "fca", "Fernlea Community Centre", "fernlea", "Heron Street", A_GOOD + ["baby_change", "parking"],
     "A community centre run by residents, with a hall, a meeting room and a kitchen."),
    ("brookside_flat", "bra", "Brookside Community Flat", "brookside", "Kingfisher Way", A_NONE,
     "A ground-floor flat used by the residents' association for drop-ins and meetings."),
    ("allotment_site", "allotments", "Castleshaw Road Allotments", "castleshaw", "Heathertop Lane", ["parking"],
     "Sixty allotment plots, a communal shed and a composting toilet."),
    ("bike_kitchen", "bikes", "Brookside Bike Kitchen", "brookside", "Wharf Street", A_STEP,
     "A workshop in a railway arch with stands, tools and donated bikes."),
    ("staidans_church", "staidans", "St Aidan's Church", "centre", "Chapel Walk", A_STEP + ["hearing_loop"],
     None),
    ("staidans_hall", "staidans", "St Aidan's Church Hall", "centre", "Chapel Walk", A_GOOD + ["baby_change"],
     "The church hall behind St Aidan's, with a main hall, a parish room and a kitchen."),
    ("mosque", "mosque", "Millbrook Central Mosque", "centre", "Albion Road", A_BASIC + ["parking"],
     "A mosque with prayer halls for men and women, classrooms and a community hall."),
    ("gurdwara", "gurdwara", "Guru Nanak Gurdwara", "werneth", "Lowbank Street", A_BASIC + ["parking", "lift"],
     "A gurdwara with a prayer hall and a langar hall."),
    ("methodist", "methodist", "Brookside Methodist Church", "brookside", "Brookside Road", A_GOOD,
     "A Methodist church with the Wesley Hall at the back."),
    ("college_main", "college", "Millbrook College, Spindle Street Campus", "centre", "Spindle Street",
     A_FULL + ["changing_places", "gender_neutral_toilet"],
     "The college's main campus."),
    ("college_fernlea", "college", "Millbrook College, Fernlea Campus", "fernlea", "Brambling Drive", A_GOOD + ["lift"],
     "A community campus for adult learning and ESOL."),
    ("hg_primary", "hgprimary", "Hollins Green Primary School", "hollins", "Moorfield Drive", A_BASIC,
     None),
    ("academy", "academy", "Castleshaw Academy", "castleshaw", "Pennine Walk", A_GOOD + ["lift", "parking"],
     "A secondary school with community sports facilities."),
    ("pharmacy", "pharmacy", "Fernlea Pharmacy", "fernlea", "Fernlea Road", A_STEP + ["quiet_space"],
     "A pharmacy with a private consultation room."),
    ("dental", "dental", "Brookside Dental Practice", "brookside", "Willow Bank", A_BASIC,
     None),
    ("cafe", "cafe", "The Old Mill Café", "centre", "Foundry Street", A_BASIC + ["baby_change"],
     "A café on the ground floor of the old Albion Mill, with a function room upstairs."),
    ("creditunion", "creditunion", "Millbrook Credit Union", "centre", "Market Street", A_STEP,
     "Credit union office and counter."),
    ("digital_den", "getonline", "The Digital Den", "hollins", "Hollins Brow", A_BASIC,
     "A shop unit where people can get help with phones, tablets and laptops."),
]

locations = []
LOC = {}
for key, org_key, name, hood_key, street, access, description in LOCS:
    hood_name, _, _, _, streets = HOODS[hood_key]
    if street is None:
        street = rng.choice(streets)
    postcode, (slat, slon) = street_info(hood_key, street)
    rec = {"id": new_id(), "organisation_id": ORG[org_key]["id"], "name": name}
    if description:
        rec["description"] = description + SUFFIX
    number = rng.randint(1, 180)
    rec["address_1"] = f"{number} {street}"
    if hood_key != "centre":
        rec["address_2"] = hood_name
    rec["town"] = TOWN
    rec["postcode"] = postcode
    hidden = key.startswith("refuge_")
    if not hidden and rng.random() < 0.8:
        rec["uprn"] = new_uprn()
    rec["latitude"] = round(slat + rng.uniform(-0.0008, 0.0008), 6)
    rec["longitude"] = round(slon + rng.uniform(-0.0012, 0.0012), 6)
    rec["accessibility"] = list(dict.fromkeys(access))
    rec["hide_address"] = hidden
    locations.append(rec)
    LOC[key] = rec
    rec["_org"] = org_key

# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------

services = []
JOB_TITLES = {
    "nhs_body": ["Service manager", "Practice manager", "Clinical lead", "Team leader"],
    "council": ["Service manager", "Team leader", "Community development officer"],
    "police": ["Neighbourhood inspector", "Police community support officer"],
    "business": ["Manager", "Owner"],
}
OTHER_JOB_TITLES = ["Project coordinator", "Service manager", "Volunteer coordinator", "Team leader",
                    "Development worker", "Community worker"]


def service(org, locs, name, cats, description, hours=None, access=("drop_in",), free=True, cost=None,
            status="active", min_age=None, max_age=None, eligibility=None, languages=("en",),
            interpreting=False, bsl=False, contact=None, phone=None, email=None, website=None):
    domain = DOMAIN[org]
    rec = {"id": new_id(), "organisation_id": ORG[org]["id"],
           "location_ids": [LOC[k]["id"] for k in locs], "name": name,
           "description": description + SUFFIX, "categories": list(cats), "status": status}
    if min_age is not None:
        rec["min_age"] = min_age
    if max_age is not None:
        rec["max_age"] = max_age
    if eligibility:
        rec["eligibility"] = eligibility
    rec["free"] = free
    if cost:
        rec["cost"] = cost
    rec["access"] = list(access)
    rec["languages"] = list(languages)
    rec["interpreting"] = interpreting
    rec["bsl"] = bsl
    # Contact details: always a phone for phone services; otherwise a deterministic mix.
    if email is None and rng.random() < 0.55:
        email = f"{slugify(name)[:30].strip('-')}@{domain}"
    if email:
        rec["email"] = email
    if phone is None and ("phone" in access or rng.random() < 0.6):
        phone = new_phone()
    if phone:
        rec["phone"] = phone
    if website is None and ("online" in access or rng.random() < 0.4):
        website = f"https://{domain}/{slugify(name)}"
    if website:
        rec["website"] = website
    if hours:
        rec["opening_hours"] = hours
    if contact is True or (contact is None and rng.random() < 0.3):
        rec["contact_person"] = new_person(domain, rng.choice(JOB_TITLES.get(ORG[org]["org_type"], OTHER_JOB_TITLES)))
    elif isinstance(contact, str):
        rec["contact_person"] = new_person(domain, contact)
    services.append(rec)
    return rec


SOUTH_ASIAN = ("en", "ur", "bn", "pa")
WIDE = ("en", "ur", "bn", "pa", "pl", "ro", "ar", "so")

# --- Millbrook Borough Council ---------------------------------------------
service("mbc", ["central_library"], "Millbrook Central Library",
        ["libraries", "free-wifi-and-computers"],
        "Borrow books, e-books, audiobooks and DVDs for free. Public computers, free wifi, printing and "
        "scanning, a children's library and a local history room.",
        hours="Mo-Fr 09:00-18:00; Sa 10:00-16:00; PH off", languages=("en", "ur", "pl"))
service("mbc", ["hg_library"], "Hollins Green Library",
        ["libraries", "free-wifi-and-computers"],
        "A neighbourhood library with books for all ages, public computers and free wifi. Knit and natter "
        "on Wednesday afternoons.",
        hours="Mo,We,Fr 10:00-17:00; Sa 10:00-13:00; PH off")
service("mbc", ["fernlea_library"], "Fernlea Library",
        ["libraries"],
        "A small branch library lending books and large print titles, with two public computers and a "
        "reading group.",
        hours="Tu,Th 10:00-17:00; Sa 10:00-13:00; PH off")
service("mbc", ["civic_centre"], "Housing Options and Homelessness",
        ["homelessness", "social-housing"],
        "Help if you are homeless, sofa surfing or have been served an eviction notice. We assess your "
        "situation, look at options to keep your home and can arrange emergency accommodation.",
        hours="Mo-Fr 09:00-17:00; PH off", access=("appointment", "phone", "drop_in"),
        interpreting=True, languages=("en",), contact="Housing options team leader")
service("mbc", [], "Out-of-Hours Emergency Homelessness Line",
        ["homelessness"],
        "If you have nowhere safe to sleep tonight, phone this line for emergency accommodation outside "
        "office hours.",
        hours="24/7", access=("phone",), interpreting=True)
service("mbc", ["civic_centre"], "Local Welfare Assistance",
        ["grants-and-crisis-funds", "energy-bills"],
        "Emergency payments for food, gas and electricity top-ups, and essential furniture or white goods "
        "for people in crisis. Apply online or ask a support worker to apply for you.",
        access=("online", "phone", "referral"),
        eligibility="Millbrook residents aged 16 or over in an emergency or crisis with no other way to pay.")
service("mbc", ["civic_centre"], "Millbrook Works",
        ["job-search", "training-courses"],
        "One-to-one employment support: CV writing, interview practice, job search and help with the costs "
        "of starting work. We also run free short courses such as food hygiene and first aid.",
        hours="Mo-Th 09:00-16:30", access=("appointment", "drop_in"), min_age=16)
service("mbc", ["central_library", "fernlea_library"], "Millbrook Adult Learning",
        ["adult-learning", "literacy-and-numeracy"],
        "Daytime and evening courses for adults: English and maths, languages, creative writing, family "
        "learning and confidence building.",
        free=False, cost="Fees vary; free for people on means-tested benefits.", access=("online", "phone"),
        min_age=19)
service("mbc", ["family_hub"], "Brookside Family Hub",
        ["family-hubs", "parenting-support", "baby-feeding"],
        "A one-stop place for families with children from pregnancy to 19 (25 with special educational "
        "needs): health visitors, infant feeding help, early help family support, and advice on childcare.",
        hours="Mo-Fr 09:00-17:00; PH off", min_age=0, max_age=19, languages=("en", "ur", "bn"),
        interpreting=True)
service("mbc", ["family_hub", "hg_cc"], "Holiday Activities and Food",
        ["holiday-activities-and-food"],
        "Free sports, crafts and trips with a healthy lunch every day during the Easter, summer and "
        "Christmas holidays.",
        min_age=5, max_age=16, access=("online",),
        eligibility="Children who get benefits-related free school meals.")
service("mbc", ["civic_centre"], "Carers Assessments",
        ["carers-assessments", "carers-support"],
        "An assessment from adult social care of what support you need as an unpaid carer, which may lead "
        "to a carer's personal budget or replacement care.",
        access=("phone", "appointment"), hours="Mo-Fr 09:00-17:00; PH off")
service("mbc", [], "SEND Local Offer",
        ["send-support", "autism"],
        "Information about support, schools and services for children and young people with special "
        "educational needs and disabilities, and how to ask for an education, health and care needs "
        "assessment.",
        access=("online",), min_age=0, max_age=25)
service("mbc", ["central_library", "fernlea_library"], "Library Warm Spaces",
        ["warm-spaces"],
        "Free, warm and welcoming spaces in libraries over the winter, with hot drinks, newspapers, "
        "board games and free wifi. Everyone is welcome; no questions asked.",
        hours="Mo-Fr 10:00-16:00; PH off")
service("mbc", ["civic_centre"], "Bus Passes and Concessionary Travel",
        ["bus-passes-and-concessions"],
        "Apply for a free bus pass if you are of State Pension age or disabled, and a companion pass if "
        "you cannot travel alone.",
        access=("online", "appointment"),
        eligibility="People of State Pension age, or disabled people who meet the national criteria.")
service("mbc", ["day_centre"], "Fernlea Day Centre",
        ["day-centres", "dementia-support"],
        "Day care for older people and people living with dementia: activities, a hot lunch, personal care "
        "and a chance for carers to have a break.",
        hours="Mo-Fr 09:30-15:30; PH off", access=("referral",), free=False,
        cost="£18 a day, depending on a financial assessment.", min_age=65)
service("mbc", ["park"], "Werneth Vale Park",
        ["parks", "play-areas"],
        "A large green park with a play area, bowling green, café kiosk, toilets and woodland walks into "
        "Werneth Clough.",
        hours="Mo-Su 07:00-22:00")
service("mbc", ["museum"], "Millbrook Museum and Art Gallery",
        ["heritage", "visual-arts"],
        "Free museum telling the story of Millbrook's mills, canals and people, with changing exhibitions "
        "by local artists and family trails in the school holidays.",
        hours="Tu-Sa 10:00-16:00; PH off", languages=("en",))
service("mbc", [], "Millbrook Safeguarding Hub",
        ["safeguarding"],
        "Report a concern about a child or an adult at risk of abuse or neglect. In an emergency, call 999.",
        hours="24/7", access=("phone", "online"), interpreting=True, contact=False)
service("mbc", ["civic_centre"], "Disabled Facilities Grants",
        ["home-repairs-and-adaptations", "physical-disability"],
        "Grants to pay for adaptations such as stairlifts, level-access showers and ramps so that disabled "
        "people can stay living safely at home.",
        access=("referral", "phone"), eligibility="Disabled people assessed by an occupational therapist.")
service("mbc", [], "Warm Homes Millbrook",
        ["warm-homes", "energy-bills"],
        "Free home energy checks, loft and cavity wall insulation and heating upgrades for low-income "
        "households and people with health conditions made worse by the cold.",
        access=("online", "phone"), hours="Mo-Fr 09:00-17:00; PH off")

# --- Castleshaw Parish Council ---------------------------------------------
service("parish", ["village_hall"], "Castleshaw Warm Welcome",
        ["warm-spaces", "community-centres"],
        "A free warm space with soup, tea and company in the village hall every Wednesday afternoon.",
        hours="We 13:00-15:00; PH off")

# --- Northern Care NHS Trust -----------------------------------------------
service("nhs", ["health_centre", "wellbeing_hub"], "Millbrook Talking Therapies",
        ["talking-therapies"],
        "Free NHS talking therapies for stress, anxiety, depression, panic and low mood, including guided "
        "self-help, cognitive behavioural therapy and counselling. Refer yourself online or by phone.",
        hours="Mo-Th 08:00-20:00; Fr 08:00-17:00; PH off", access=("online", "phone", "referral"),
        min_age=16, languages=("en", "ur", "bn", "pl"), interpreting=True,
        eligibility="Registered with a Millbrook GP.")
service("nhs", [], "Millbrook Mental Health Crisis Line",
        ["crisis-support"],
        "Talk to a trained mental health worker any time, day or night, if you or someone you know is in "
        "crisis. For a life-threatening emergency, call 999.",
        hours="24/7", access=("phone",), interpreting=True, contact=False)
service("nhs", ["sexual_health"], "Sexual Health Clinic",
        ["sexual-health"],
        "Confidential contraception, emergency contraception, STI testing and treatment, PrEP and HIV "
        "testing. Free condoms. Walk in or book an appointment.",
        hours="Mo,We 12:00-19:00; Sa 10:00-13:00; PH off", access=("drop_in", "appointment", "online"),
        min_age=13, interpreting=True)
service("nhs", ["castleshaw_clinic", "health_centre"], "Stop Smoking Service",
        ["stop-smoking"],
        "Twelve weeks of support from a stop smoking adviser with free nicotine replacement therapy or "
        "vapes. Refer yourself by phone.",
        access=("phone", "appointment"), min_age=12)
service("nhs", ["hospital"], "Millbrook Recovery Hub",
        ["drugs-and-alcohol"],
        "Confidential treatment and recovery support for anyone worried about their drinking or drug use, "
        "including needle exchange, prescribing and mutual aid groups. Family members can get support too.",
        hours="Mo,Tu,We,Fr 09:00-17:00; Th 09:00-19:00; PH off", access=("drop_in", "phone", "referral"), min_age=18,
        interpreting=True)
service("nhs", ["hospital", "active_leisure"], "Steady Steps Falls Prevention",
        ["falls-prevention", "gym-and-fitness"],
        "A 24-week strength and balance programme run by physiotherapists for people who have fallen or are "
        "worried about falling.",
        access=("referral",), min_age=65)
service("nhs", ["hospital"], "Wheelchair Service",
        ["equipment-and-mobility", "physical-disability"],
        "Assessment, supply and repair of NHS wheelchairs and pressure cushions for children and adults.",
        access=("referral", "appointment"), hours="Mo-Fr 08:30-16:30; PH off")
service("nhs", ["hospital"], "Patient Transport Service",
        ["hospital-transport"],
        "Non-emergency transport to hospital appointments for patients whose medical condition means they "
        "cannot travel any other way.",
        access=("phone",), hours="Mo-Fr 08:00-18:00; PH off",
        eligibility="Patients assessed as having a medical need for transport.")
service("nhs", ["health_centre"], "Healthy Weight Programme",
        ["healthy-weight", "cooking-classes"],
        "A free 12-week group programme on healthy eating, cooking on a budget and getting more active, "
        "with weekly weigh-ins.",
        access=("referral", "phone"), min_age=18, hours="Tu 18:00-19:30")

# --- GP practices ------------------------------------------------------------
service("brookside_surgery", ["brookside_surgery"], "Brookside Surgery",
        ["gp-and-primary-care"],
        "NHS GP services: appointments with GPs, nurses and a clinical pharmacist, long-term condition "
        "reviews, vaccinations and repeat prescriptions online.",
        hours="Mo-Fr 08:00-18:30; PH off", access=("appointment", "phone", "online"),
        languages=SOUTH_ASIAN, interpreting=True,
        eligibility="People living in the practice area.")
service("brookside_surgery", ["brookside_surgery"], "Social Prescribing Link Worker",
        ["social-prescribing", "wellbeing-activities"],
        "A link worker who spends time with you to find local groups, activities and advice that could help "
        "with loneliness, money worries or low mood.",
        access=("referral", "appointment"), min_age=18, contact="Social prescribing link worker")
service("hollins_gp", ["hg_surgery"], "Hollins Green Medical Practice",
        ["gp-and-primary-care"],
        "NHS GP services for Hollins Green, with early morning appointments, a Saturday clinic, baby "
        "clinics and minor surgery.",
        hours="Mo-Fr 08:00-18:30; Sa 09:00-12:00; PH off", access=("appointment", "phone", "online"),
        eligibility="People living in the practice area.")

# --- Police ------------------------------------------------------------------
service("police", ["police_station"], "Police Station Front Counter",
        ["community-safety", "crime-victims"],
        "Report a crime in person, hand in lost property, or produce documents. For emergencies call 999; "
        "for non-emergencies call 101.",
        hours="Mo-Sa 10:00-18:00; PH off", interpreting=True)
service("police", ["hg_library"], "Hollins Green Beat Surgery",
        ["community-safety"],
        "Meet your neighbourhood police officers and PCSOs to raise local concerns about crime, parking and "
        "anti-social behaviour.",
        hours="Th 18:00-19:00; PH off")
service("police", [], "Report Hate Crime",
        ["hate-crime"],
        "Report hate crime or a hate incident online or by phone, anonymously if you prefer. We take every "
        "report seriously.",
        hours="24/7", access=("online", "phone"), languages=WIDE, interpreting=True, bsl=True)

# --- Housing associations ----------------------------------------------------
service("mha", ["mha_office"], "Tenancy Sustainment",
        ["tenancy-support", "budgeting"],
        "Support for Millbrook Housing Association tenants who are struggling with rent arrears, bills, "
        "setting up a home or managing a tenancy.",
        access=("referral", "phone", "appointment"), eligibility="Millbrook Housing Association tenants.")
service("mha", ["ashworth_court"], "Ashworth Court Friday Lunch Club",
        ["lunch-clubs"],
        "A two-course home-cooked lunch and a chat in the residents' lounge, open to older people from the "
        "wider area as well as residents.",
        hours="Fr 12:00-14:00", free=False, cost="£4 for a two-course lunch.", min_age=60)
service("mha", ["mha_office"], "Handy Person Service",
        ["home-repairs-and-adaptations", "falls-prevention"],
        "Small repairs and safety jobs such as fitting grab rails, key safes and smoke alarms for older and "
        "disabled people.",
        access=("phone",), free=False, cost="Free labour; you pay for materials.", min_age=60)
service("mha", ["castleshaw_court"], "Castleshaw Court Tablet Club",
        ["digital-skills"],
        "Friendly help with tablets and smartphones for older people: video calls, repeat prescriptions and "
        "online shopping.",
        hours="Tu 14:00-16:00", min_age=60)

service("wvh", ["wvh_hub"], "Werneth Vale Community Pantry",
        ["food-pantries"],
        "A membership food pantry: pay £5 a week and choose around £20 of groceries, fresh fruit and "
        "vegetables.",
        hours="Th 12:00-15:00", free=False, cost="£5 a week.",
        eligibility="People living in the OL4 postcode area.", languages=("en", "pl", "ro"))
service("wvh", ["wvh_garden"], "Werneth Vale Community Garden",
        ["community-gardens", "community-growing", "environmental-volunteering"],
        "Grow fruit and vegetables together in raised beds and a polytunnel. No experience needed; tools "
        "and gloves provided.",
        hours="Sa 10:00-13:00")
service("wvh", ["wvh_hub"], "Werneth Vale Toddlers",
        ["parent-and-toddler-groups"],
        "A friendly toddler group with messy play, songs and snacks. Parents and carers get a brew and "
        "a chat.",
        hours="Mo 09:30-11:30", free=False, cost="£1 a family.", min_age=0, max_age=5)

# --- Food bank -----------------------------------------------------------------
service("foodbank", ["staidans_hall", "fernlea_cc"], "Millbrook Food Bank",
        ["food-banks"],
        "Emergency food parcels with three days of nutritionally balanced food, toiletries and baby items. "
        "Our volunteers can also put you in touch with debt and benefits advice.",
        hours="Tu,Fr 10:00-13:00", access=("referral",), languages=WIDE, interpreting=True,
        eligibility="People in crisis with a food bank voucher from an agency such as Citizens Advice, a "
                    "GP, a school or a social worker.")
service("foodbank", ["foodbank_warehouse"], "Food Bank Home Delivery",
        ["food-banks"],
        "Food parcels delivered to people who are housebound, disabled or too ill to collect one.",
        access=("referral", "phone"))

# --- Citizens Advice --------------------------------------------------------------
service("cab", ["cab_office", "hg_library"], "Citizens Advice Drop-in",
        ["benefits-advice", "debt-advice", "consumer-advice", "employment-rights"],
        "Free, confidential advice on benefits, Universal Credit, debt, housing, employment, consumer "
        "problems and immigration. Come to a drop-in session or book an appointment.",
        hours="Mo,We,Fr 10:00-14:00; PH off", access=("drop_in", "appointment"),
        languages=("en", "ur", "bn", "pl"), interpreting=True)
service("cab", [], "Millbrook Adviceline",
        ["benefits-advice", "consumer-advice", "legal-advice"],
        "Telephone advice from trained advisers on benefits, debt, housing and consumer problems.",
        hours="Mo-Fr 09:00-17:00; PH off", access=("phone",), interpreting=True, contact=False)
service("cab", ["cab_office"], "Specialist Debt Advice",
        ["debt-advice"],
        "Casework for people with serious debts: priority debts, bailiffs, debt relief orders, bankruptcy "
        "and breathing space.",
        access=("appointment", "referral"), contact="Debt caseworker")
service("cab", ["brookside_surgery"], "Advice at Brookside Surgery",
        ["benefits-advice", "debt-advice"],
        "A Citizens Advice adviser at Brookside Surgery every Tuesday morning for patients with money, "
        "benefits or housing problems.",
        hours="Tu 09:00-12:00; PH off", access=("appointment", "referral"))

# --- Women's Aid ---------------------------------------------------------------
service("womensaid", ["refuge_a"], "Women's Refuge",
        ["domestic-abuse"],
        "Safe, confidential emergency accommodation with round-the-clock support for women escaping "
        "domestic abuse. Staff help with safety planning, benefits, housing and moving on.",
        hours="24/7", access=("referral", "phone"), min_age=18, languages=WIDE, interpreting=True,
        eligibility="Women aged 18 or over fleeing domestic abuse.")
service("womensaid", ["refuge_b"], "Family Refuge",
        ["domestic-abuse"],
        "Self-contained flats in a safe, confidential location for women with children escaping domestic "
        "abuse, with a children's worker and play room.",
        hours="24/7", access=("referral", "phone"), languages=WIDE, interpreting=True,
        eligibility="Women with children fleeing domestic abuse.")
service("womensaid", [], "Domestic Abuse Helpline",
        ["domestic-abuse", "crisis-support"],
        "Confidential support, advice and safety planning by phone for anyone experiencing domestic abuse, "
        "and for friends, family and professionals worried about someone.",
        hours="24/7", access=("phone",), languages=WIDE, interpreting=True, contact=False)
service("womensaid", ["womensaid_office"], "Domestic Abuse Outreach",
        ["domestic-abuse", "safeguarding"],
        "Independent domestic violence advocates supporting people at high risk with safety planning, "
        "court orders, housing and the criminal justice process.",
        hours="Mo-Fr 09:00-17:00; PH off", access=("referral", "phone", "appointment"), min_age=16,
        interpreting=True)
service("womensaid", ["womensaid_office"], "Moving On Group",
        ["domestic-abuse", "peer-support"],
        "A 12-week group for women who have experienced domestic abuse, to understand what happened and "
        "rebuild confidence.",
        hours="We 10:00-12:00; PH off", access=("referral", "phone"), min_age=18)

# --- Carers ----------------------------------------------------------------------
service("carers", ["carers_centre"], "Carers Support and Advice",
        ["carers-support"],
        "Information, advice and one-to-one support for unpaid carers, including help with Carer's "
        "Allowance, emergency planning and carers' cards.",
        hours="Mo-Fr 09:00-17:00; PH off", access=("drop_in", "phone", "appointment"),
        languages=("en", "ur", "pa"))
service("carers", ["carers_centre", "hg_cc"], "Carers' Cuppa",
        ["carers-groups"],
        "An informal group where carers meet for a cuppa, a chat and sometimes a guest speaker.",
        hours="Tu 10:30-12:00")
service("carers", ["carers_centre"], "Carers' Short Breaks",
        ["respite-and-breaks"],
        "Grants and replacement care so carers can have a few hours or a few days off.",
        access=("referral", "phone"), eligibility="Carers registered with Millbrook Carers Centre.")
service("carers", ["youth_centre"], "Young Carers Project",
        ["young-carers", "carers-support"],
        "Clubs, trips and one-to-one support for children and young people who look after someone at home.",
        hours="Th 16:30-18:30", access=("referral", "phone"), min_age=8, max_age=18)

# --- Age Friendly Millbrook --------------------------------------------------------
service("agefriendly", ["age_hub"], "Telephone Befriending",
        ["befriending", "befriending-volunteers"],
        "A weekly friendly phone call from a trained volunteer for older people who feel lonely or "
        "isolated. We are always looking for new volunteer befrienders.",
        access=("phone", "referral"), min_age=60)
service("agefriendly", ["methodist"], "Brookside Lunch Club",
        ["lunch-clubs", "community-meals"],
        "A hot two-course lunch, a quiz and good company in the Wesley Hall every Thursday. Transport can "
        "be arranged.",
        hours="Th 12:00-14:00", free=False, cost="£5 including tea and coffee.", min_age=60)
service("agefriendly", ["age_hub"], "Memory Café",
        ["dementia-support", "carers-groups"],
        "A relaxed café for people living with dementia and the people who care for them, with music, "
        "reminiscence and advice.",
        hours="Mo 14:00-16:00; PH off", min_age=60)
service("agefriendly", ["age_hub"], "Tech Buddies",
        ["digital-skills", "free-wifi-and-computers"],
        "One-to-one help with smartphones, tablets and computers for older people. Bring your own device "
        "or borrow one of ours.",
        hours="Fr 10:00-12:00", min_age=60)

# --- Open Door Wellbeing ------------------------------------------------------------
service("opendoor", ["opendoor_centre"], "Peer Support Evenings",
        ["peer-support"],
        "A weekly group run by people with lived experience of mental ill health. Share what helps in a "
        "safe, non-judgemental space.",
        hours="Tu 18:30-20:30", min_age=18)
service("opendoor", ["opendoor_centre"], "Bereavement Counselling",
        ["bereavement", "talking-therapies"],
        "Up to ten free sessions with a trained bereavement counsellor for adults coping with the death "
        "of someone close, including after suicide.",
        access=("appointment", "phone", "referral"), min_age=18)
service("opendoor", ["opendoor_centre"], "Creative Wellbeing",
        ["wellbeing-activities", "visual-arts"],
        "Drawing, painting and collage for people who want to look after their mental health. No art "
        "experience needed.",
        hours="We 13:00-15:00; PH off")
service("opendoor", ["opendoor_centre"], "Safe Haven Crisis Café",
        ["crisis-support"],
        "An evening drop-in for adults in emotional distress or mental health crisis, as an alternative to "
        "A&E. Staffed by mental health workers.",
        hours="Mo-Su 18:00-22:00", access=("drop_in", "phone"), min_age=18)
service("opendoor", ["opendoor_centre"], "Hearing Voices Group",
        ["peer-support"],
        "A peer support group for people who hear voices or have unusual experiences. Paused while we "
        "recruit a new facilitator.",
        hours="Th 14:00-15:30", min_age=18, status="inactive")

# --- Youth Trust ---------------------------------------------------------------------
service("youth", ["youth_centre"], "Castleshaw Road Youth Club",
        ["youth-clubs"],
        "Sports, pool, music, cooking and trips, with youth workers to talk to about anything.",
        hours="Mo,We 18:00-21:00", min_age=11, max_age=19)
service("youth", ["youth_hut"], "Fernlea Youth Hut",
        ["youth-clubs"],
        "A Friday night youth club with games, street football and a tuck shop. Closed until the hut's new "
        "roof is fitted; the Castleshaw Road club is open as usual.",
        hours="Fr 18:00-20:30", min_age=11, max_age=19, status="temporarily_closed")
service("youth", ["youth_centre"], "Youth Mentoring and Detached Youth Work",
        ["youth-support"],
        "Youth workers on the streets and parks, and one-to-one mentoring for young people having a tough "
        "time at school, at home or with the police.",
        access=("referral", "phone"), min_age=11, max_age=25)
service("youth", ["youth_centre"], "Out Loud LGBTQ+ Youth Group",
        ["youth-support", "peer-support"],
        "A safe, fun space for lesbian, gay, bi, trans and questioning young people and their friends.",
        hours="Tu 17:30-19:30", min_age=11, max_age=25)
service("youth", ["youth_centre", "volunteer_centre"], "Next Steps",
        ["careers-and-next-steps", "job-search", "apprenticeships"],
        "Help for 16 to 25 year olds who are not in education, employment or training to find a course, "
        "apprenticeship or job.",
        access=("appointment", "referral", "phone"), min_age=16, max_age=25)
service("youth", ["youth_centre"], "Youth Music Studio",
        ["music", "youth-clubs"],
        "Learn to make beats, record vocals or play in a band in our music studio with professional "
        "music leaders.",
        hours="Sa 12:00-16:00", min_age=11, max_age=19)
service("youth", ["youth_centre"], "Summer Youth Programme",
        ["holiday-activities-and-food", "youth-clubs"],
        "Six weeks of activities, trips and residentials in the summer holidays.",
        min_age=11, max_age=19, status="inactive")

# --- Little Steps ----------------------------------------------------------------------
service("littlesteps", ["littlesteps_centre"], "Stay and Play",
        ["parent-and-toddler-groups"],
        "Play sessions for under-fives with their parents or carers: sensory play, messy play, stories "
        "and songs.",
        hours="Mo,We,Fr 09:30-11:30; PH off", min_age=0, max_age=5, languages=("en", "ur", "bn"))
service("littlesteps", ["littlesteps_centre"], "Breastfeeding Peer Support",
        ["baby-feeding"],
        "Trained peer supporters and an infant feeding specialist help with breastfeeding, expressing and "
        "combination feeding.",
        hours="Tu 13:00-14:30", min_age=0, max_age=1, languages=("en", "ur", "bn"))
service("littlesteps", ["littlesteps_centre"], "Little Steps Nursery",
        ["childcare"],
        "An Ofsted-registered nursery for children from birth to five, offering funded places for eligible "
        "two, three and four year olds.",
        hours="Mo-Fr 07:30-18:00; PH off", access=("appointment",), free=False,
        cost="Funded hours are free; other hours £6.20 an hour.", min_age=0, max_age=5)
service("littlesteps", ["littlesteps_centre"], "SEND Family Support Group",
        ["send-support", "autism"],
        "A group for parents of young children with additional needs or awaiting an autism assessment, "
        "with a sensory room for the children.",
        hours="Th 09:30-11:30; PH off", min_age=0, max_age=5)

# --- Community transport ------------------------------------------------------------------
service("transport", ["transport_depot"], "Dial-a-Ride",
        ["community-transport"],
        "Door-to-door wheelchair-accessible minibus for shopping, appointments and visiting friends, for "
        "people who cannot use ordinary buses.",
        hours="Mo-Fr 09:00-16:00", access=("phone",), free=False, cost="£3 a single journey for members.",
        eligibility="Registered members who find it difficult to use public transport.")
service("transport", ["transport_depot"], "Volunteer Car Scheme",
        ["hospital-transport", "community-transport"],
        "Volunteer drivers take people to hospital and GP appointments in their own cars.",
        access=("phone",), free=False, cost="45p a mile.")
service("transport", ["transport_depot"], "Castleshaw Shopping Bus",
        ["community-transport"],
        "A weekly minibus from Castleshaw Road to the town centre shops and market. Withdrawn: members can "
        "book Dial-a-Ride instead.",
        hours="Tu 09:30-13:00", free=False, cost="£2 return.", min_age=60, status="defunct")

# --- Sight and Sound --------------------------------------------------------------------
service("sensory", ["sensory_centre"], "Sensory Advice and Equipment",
        ["sensory-impairment", "equipment-and-mobility"],
        "Try and buy equipment such as magnifiers, talking clocks and amplified phones, and get advice on "
        "living with sight or hearing loss.",
        hours="Mo-Th 09:00-12:30,13:30-16:30; Fr 09:00-12:30", bsl=True)
service("sensory", ["sensory_centre"], "Deaf Club",
        ["sensory-impairment"],
        "A social club for Deaf British Sign Language users, with quizzes, talks and trips.",
        hours="Fr 18:00-21:00", bsl=True)

# --- Victims' Hub -------------------------------------------------------------------------
service("victims", ["victims_office"], "Victim and Witness Support",
        ["crime-victims"],
        "Emotional and practical support after any crime, including burglary, fraud and assault, whether "
        "or not you have reported it.",
        hours="Mo-Fr 09:00-17:00; PH off", access=("phone", "referral", "appointment"), interpreting=True)
service("victims", ["victims_office"], "Sexual Violence Support",
        ["sexual-violence", "talking-therapies"],
        "Independent sexual violence advisers and specialist counselling for people of any gender affected "
        "by rape or sexual abuse, recent or in the past.",
        access=("phone", "referral"), min_age=13, interpreting=True)
service("victims", ["victims_office"], "Hate Crime Reporting Centre",
        ["hate-crime"],
        "Report hate crime to a trained advocate without going to the police, and get support.",
        hours="We 13:00-16:00; PH off", access=("drop_in", "phone"), languages=WIDE, interpreting=True)

# --- Volunteer Centre ----------------------------------------------------------------------
service("volunteer", ["volunteer_centre"], "Find Volunteering",
        ["volunteer-centres", "volunteering-into-work"],
        "Talk to us about what you would like to do and we'll match you with a volunteering role with one "
        "of over 150 local groups.",
        hours="Mo-Th 10:00-16:00; PH off", access=("drop_in", "online"))
service("volunteer", ["volunteer_centre"], "Trustee Academy",
        ["trustee-roles"],
        "Free online sessions for new and would-be trustees of local charities and community groups.",
        access=("online",))
service("volunteer", ["volunteer_centre"], "Brookside Job Club",
        ["job-search", "volunteering-into-work"],
        "A weekly job club that closed when its funding ended.",
        status="defunct")

# --- Refugee Welcome ------------------------------------------------------------------------
service("refugee", ["welcome_centre"], "English Conversation Classes",
        ["esol"],
        "Informal English conversation classes for beginners and improvers, with a crèche.",
        hours="Tu,Th 10:00-12:00", languages=("en", "ar", "so", "ur", "fa"))
service("refugee", ["welcome_centre"], "Immigration Advice",
        ["immigration-advice", "legal-advice"],
        "Free regulated advice on asylum claims, family reunion, visas and settlement.",
        access=("appointment",), languages=("en", "ar", "so", "fa"), interpreting=True,
        contact="Immigration adviser")
service("refugee", ["welcome_centre"], "Welcome Café",
        ["community-meals", "interfaith"],
        "A free hot meal, clothes bank and a warm welcome for refugees, asylum seekers and neighbours.",
        hours="Sa 11:00-14:00", languages=("en", "ar", "so", "fa", "ur"))

# --- Millbrook Active --------------------------------------------------------------------------
service("active", ["active_leisure"], "Swimming Lessons",
        ["swimming"],
        "Learn-to-swim lessons for children aged 4 and over and adult beginners. The pool is closed for "
        "refurbishment.",
        free=False, cost="£28 a month.", min_age=4, status="temporarily_closed")
service("active", ["active_leisure", "active_werneth"], "Gym and Fitness Classes",
        ["gym-and-fitness"],
        "Gyms, spin, Pilates, aqua aerobics and circuits. Concessions for people on benefits and carers.",
        hours="Mo-Fr 06:30-22:00; Sa,Su 08:00-18:00; PH off", free=False,
        cost="From £22 a month; concessions £12.", min_age=14)
service("active", ["park", "active_leisure"], "Health Walks",
        ["walking", "falls-prevention"],
        "Free, short, friendly walks led by trained volunteers, starting from Werneth Vale Park and the "
        "leisure centre.",
        hours="We 10:00-11:00")
service("active", ["active_werneth"], "Inclusive Sports Club",
        ["inclusive-sport", "physical-disability", "learning-disability"],
        "Wheelchair basketball, boccia and new age kurling for disabled people of all ages.",
        hours="Sa 10:00-12:00", free=False, cost="£2 a session.")
service("active", ["active_werneth"], "Walking Football",
        ["football", "inclusive-sport"],
        "A slower, no-running version of football for people over 50 or with long-term conditions.",
        hours="Mo 11:00-12:00", free=False, cost="£3 a session.", min_age=50)

# --- Community groups -----------------------------------------------------------------------
service("arts", ["dye_works"], "Pottery and Print Classes",
        ["crafts", "visual-arts"],
        "Beginners' pottery, screen printing and lino printing courses in small groups.",
        hours="Tu,Th 18:00-20:00", free=False, cost="£60 for a six-week course; concessions £30.")
service("arts", ["dye_works"], "Dye Works Theatre Company",
        ["theatre-and-dance"],
        "A community theatre company putting on two shows a year. Actors, backstage crew and set builders "
        "welcome.",
        hours="Tu 19:00-21:30", free=False, cost="£3 a week.", min_age=16)
service("shed", ["shed"], "Fernlea Men's Shed",
        ["crafts", "peer-support"],
        "Woodwork, metalwork, bike repairs and tea. A place to make friends and share skills.",
        hours="Tu,Th 10:00-15:00", min_age=18)
service("hgca", ["hg_cc"], "Hollins Green Community Café",
        ["community-meals", "warm-spaces"],
        "Cheap breakfasts and lunches, free hot drinks in winter and a warm place to sit.",
        hours="Mo-Fr 10:00-14:00; PH off")
service("hgca", ["hg_cc"], "Cooking on a Budget",
        ["cooking-classes"],
        "A six-week course in the community kitchen: simple, healthy family meals for under £1 a portion.",
        hours="Mo 18:00-20:00", access=("drop_in", "referral"))
service("fca", ["fernlea_cc"], "Fernlea Community Supper",
        ["community-meals"],
        "A pay-as-you-feel hot meal for anyone, cooked by volunteers using surplus food.",
        hours="We 17:00-19:00", free=False, cost="Pay as you feel.")
service("bra", ["brookside_flat"], "Brookside Residents' Drop-in",
        ["community-centres", "tenancy-support"],
        "Pop in for a brew and help reporting repairs, filling in forms or raising problems on the estate.",
        hours="Mo 13:00-15:00")
service("fowvp", ["park"], "Park Work Days",
        ["environmental-volunteering", "nature-reserves"],
        "Join our volunteers on the first Saturday morning of each month to plant trees, clear paths and "
        "pick litter in Werneth Vale Park and Werneth Clough nature reserve.",
        hours="Sa 10:00-12:30")
service("allotments", ["allotment_site"], "Allotment Plots",
        ["allotments", "community-growing"],
        "Half and full allotment plots to rent, plus a shared starter plot for beginners.",
        free=False, cost="£35 a year for a half plot.", access=("online", "phone"))
service("choir", ["staidans_hall"], "Millbrook Community Choir",
        ["music"],
        "A non-auditioned community choir. No need to read music; just come along and sing.",
        hours="Th 19:30-21:30", free=False, cost="£3 a week.")
service("bikes", ["bike_kitchen"], "Bike Kitchen Workshops",
        ["bike-schemes", "cycling"],
        "Fix your own bike with our tools and volunteer mechanics, or get a refurbished bike for a "
        "donation.",
        hours="We 17:30-20:00; Sa 10:00-13:00", free=False, cost="Donation of £3 suggested.")

# --- Faith groups -------------------------------------------------------------------------
service("staidans", ["staidans_church"], "Sunday Worship at St Aidan's",
        ["churches"],
        "A parish communion service followed by refreshments. Children's activities during term time.",
        hours="Su 10:00-11:30")
service("staidans", ["staidans_hall"], "St Aidan's Toddler Group",
        ["parent-and-toddler-groups"],
        "Toys, crafts and songs for babies and toddlers, with tea and toast for grown-ups.",
        hours="Tu 09:30-11:00; PH off", min_age=0, max_age=5)
service("mosque", ["mosque"], "Millbrook Central Mosque",
        ["mosques"],
        "Open for the five daily prayers and Friday prayers, with facilities for women.",
        hours="Mo-Su 05:00-22:30", languages=("en", "ur", "ar", "bn"))
service("mosque", ["mosque"], "Community Kitchen",
        ["community-meals", "food-banks"],
        "Free hot meals and food parcels for anyone in need, every Friday after Jumu'ah prayers.",
        hours="Fr 13:30-15:00", languages=("en", "ur", "ar"))
service("gurdwara", ["gurdwara"], "Langar",
        ["community-meals", "gurdwaras-and-temples"],
        "A free vegetarian meal served every day to anyone, whatever their faith or background.",
        hours="Mo-Su 08:00-20:00", languages=("en", "pa"))
service("methodist", ["methodist"], "Millbrook Faith Forum",
        ["interfaith"],
        "Leaders and members of Millbrook's churches, mosques and gurdwara meeting to build friendships and "
        "work together on local issues.",
        hours="Mo 19:00-21:00")
service("methodist", ["methodist"], "Sunday Worship at Brookside Methodist",
        ["churches"],
        "A friendly Sunday service with hymns and a sermon, followed by coffee.",
        hours="Su 10:30-12:00")

# --- Education ------------------------------------------------------------------------------
service("college", ["college_main", "college_fernlea"], "ESOL Courses",
        ["esol"],
        "English for speakers of other languages from pre-entry to level 2, daytime and evening, with "
        "free places for most learners.",
        access=("appointment", "online"), free=False,
        cost="Free for learners on benefits or low wages; otherwise fees apply.", min_age=19,
        languages=("en",))
service("college", ["college_main"], "Apprenticeships",
        ["apprenticeships", "training-courses"],
        "Apprenticeships in construction, engineering, health and social care, business and hospitality.",
        access=("online",), min_age=16)
service("college", ["college_main", "college_fernlea"], "English and Maths for Adults",
        ["literacy-and-numeracy", "adult-learning"],
        "Free Functional Skills English and maths courses for adults who want to improve their reading, "
        "writing or numbers.",
        access=("appointment", "online"), min_age=19)
service("hgprimary", ["hg_primary"], "After-School Homework Club",
        ["homework-clubs"],
        "Help with reading and homework, plus a snack, for pupils of Hollins Green Primary.",
        hours="Mo-Th 15:15-17:00", min_age=5, max_age=11)
service("academy", ["academy"], "Homework Club and Library",
        ["homework-clubs", "free-wifi-and-computers"],
        "Computers, printing and staff help with homework after school.",
        hours="Mo-Th 15:00-17:00", min_age=11, max_age=16)

# --- Businesses ------------------------------------------------------------------------------
service("pharmacy", ["pharmacy"], "Fernlea Pharmacy",
        ["pharmacy", "stop-smoking"],
        "NHS prescriptions, Pharmacy First consultations for common conditions, blood pressure checks, "
        "flu jabs and stop smoking support.",
        hours="Mo-Fr 09:00-18:30; Sa 09:00-17:00; PH off", languages=("en", "ur", "pa"))
service("dental", ["dental"], "NHS Dental Check-ups",
        ["dental"],
        "NHS check-ups, fillings and urgent dental appointments. Currently accepting new NHS patients "
        "under 18.",
        hours="Mo-Fr 08:30-17:30", access=("appointment", "phone"), free=False,
        cost="NHS charges apply; free for under-18s and people on some benefits.")
service("cafe", ["cafe"], "Pay-as-you-feel Café",
        ["community-meals", "warm-spaces"],
        "Breakfast, soup and sandwiches made from surplus food. Pay what you can, or volunteer a shift.",
        hours="Mo-Sa 08:00-15:00", free=False, cost="Pay as you feel.")

# --- Other -------------------------------------------------------------------------------------
service("creditunion", ["creditunion"], "Savings and Affordable Loans",
        ["credit-unions", "budgeting"],
        "Save from £1 a week and borrow at fair rates instead of using doorstep lenders or payday loans.",
        hours="Mo-Fr 10:00-15:00; PH off", access=("drop_in", "online", "phone"), free=False,
        cost="Loan interest from 12.7% APR.")
service("getonline", ["central_library", "digital_den"], "Digital Help Drop-in",
        ["digital-skills"],
        "Free help with email, online forms, Universal Credit journals, video calls and staying safe "
        "online.",
        hours="Mo 10:00-12:00", languages=("en", "pl", "ro"))
service("getonline", ["digital_den"], "Device Lending Library",
        ["device-lending"],
        "Borrow a laptop or tablet for up to three months, with a free data SIM and a lesson on how to "
        "use it.",
        access=("drop_in", "referral"), hours="Mo-Fr 10:00-16:00")
service("getonline", [], "Free Mobile Data",
        ["data-and-connectivity"],
        "Free SIM cards with mobile data, calls and texts for people on low incomes.",
        access=("online", "phone"), eligibility="People aged 18 or over on a low income.")

# ---------------------------------------------------------------------------
# Spaces
# ---------------------------------------------------------------------------

spaces = []


def space(loc, name, space_type, cats, description, capacity=None, facilities=(), accessibility=None,
          free=False, price=None, how_to_book=None, booking_url=None, hours=None, contact=True):
    location = LOC[loc]
    org = location["_org"]
    domain = DOMAIN[org]
    rec = {"id": new_id(), "organisation_id": ORG[org]["id"], "location_id": location["id"],
           "name": name, "description": description + SUFFIX, "space_type": space_type,
           "categories": list(cats)}
    if capacity is not None:
        rec["capacity"] = capacity
    rec["facilities"] = list(facilities)
    rec["accessibility"] = list(location["accessibility"] if accessibility is None else accessibility)
    rec["free"] = free
    if price:
        rec["price"] = price
    if how_to_book:
        rec["how_to_book"] = how_to_book
    if booking_url:
        rec["booking_url"] = booking_url
    if contact:
        rec["email"] = f"bookings@{domain}"
        rec["phone"] = ORG[org].get("phone") or new_phone()
    if hours:
        rec["opening_hours"] = hours
    spaces.append(rec)
    return rec


HALL = ["halls-for-hire"]
ROOM = ["meeting-rooms"]
KITCHEN = ["community-kitchens"]
BOOK_ONLINE = "Book online, or phone or email the bookings team."

space("town_hall", "Assembly Hall", "hall", HALL,
      "A grand Victorian hall with a sprung floor, stage and balcony, used for concerts, dances and "
      "public meetings.",
      capacity=300, facilities=["stage", "sound_system", "piano", "tables_and_chairs", "toilets", "kitchen"],
      price="£60 an hour; community groups £30", how_to_book=BOOK_ONLINE,
      booking_url="https://millbrookcouncil.example/venues/assembly-hall", hours="Mo-Su 08:00-23:00")
space("town_hall", "Mayor's Parlour", "meeting_room", ROOM,
      "An oak-panelled meeting room for board meetings and small ceremonies.",
      capacity=20, facilities=["wifi", "tables_and_chairs", "projector"],
      price="£25 an hour; community groups £12", how_to_book=BOOK_ONLINE,
      booking_url="https://millbrookcouncil.example/venues/mayors-parlour", hours="Mo-Fr 09:00-21:00")
space("civic_centre", "Committee Room 2", "meeting_room", ROOM,
      "A modern meeting room with a screen and video conferencing.",
      capacity=24, facilities=["wifi", "projector", "tables_and_chairs", "toilets"],
      free=True, how_to_book="Free for voluntary groups working with the council; ask your council contact.",
      hours="Mo-Fr 09:00-17:00; PH off")
space("central_library", "Library Meeting Room", "meeting_room", ROOM + ["warm-spaces"],
      "A bright first-floor meeting room next to the local studies library.",
      capacity=30, facilities=["wifi", "projector", "tables_and_chairs", "toilets"],
      price="£15 an hour; community groups £8", how_to_book=BOOK_ONLINE,
      booking_url="https://millbrookcouncil.example/venues/library-meeting-room",
      hours="Mo-Fr 09:00-18:00; Sa 10:00-16:00; PH off")
space("central_library", "Computer Suite", "classroom", ["free-wifi-and-computers", "meeting-rooms"],
      "A training room with 16 computers, for digital skills classes and training.",
      capacity=16, facilities=["wifi", "projector", "tables_and_chairs"],
      price="£20 an hour; free for digital inclusion groups", how_to_book=BOOK_ONLINE)
space("hg_library", "Hollins Green Library Community Room", "meeting_room", ROOM,
      "A community room at the back of the library, with its own entrance.",
      capacity=25, facilities=["wifi", "tables_and_chairs", "toilets", "kitchen"],
      price="£10 an hour", how_to_book="Ask at the library counter or phone.",
      hours="Mo,We,Fr 10:00-17:00; Sa 10:00-13:00; PH off")
space("fernlea_library", "Fernlea Library Activity Room", "meeting_room", ROOM,
      "A small room for reading groups, craft sessions and surgeries.",
      capacity=15, facilities=["tables_and_chairs", "toilets"], free=True,
      how_to_book="Free for not-for-profit groups; ask library staff.", contact=False)
space("museum", "Museum Learning Room", "classroom", ROOM + ["heritage"],
      "A learning room used for school visits, talks and family workshops.",
      capacity=35, facilities=["wifi", "projector", "tables_and_chairs", "toilets", "storage"],
      price="£20 an hour", how_to_book=BOOK_ONLINE)
space("market_hall", "Market Hall Events Space", "hall", HALL,
      "An open events space at the end of the market hall, for craft fairs, pop-up markets and "
      "exhibitions.",
      capacity=200, facilities=["tables_and_chairs", "toilets", "parking"],
      price="£40 a half day; charities £20", how_to_book=BOOK_ONLINE, hours="Mo-Sa 08:00-17:30")
space("park", "Werneth Vale Park Pavilion", "other", ["meeting-rooms", "parks"],
      "A small pavilion in the park with a kitchenette, for children's parties, walk groups and meetings.",
      capacity=30, facilities=["kitchen", "toilets", "outdoor_area", "tables_and_chairs"],
      price="£12 an hour", how_to_book=BOOK_ONLINE)
space("rec", "Brookside Rec Football Pitch (full size)", "pitch", ["football"],
      "A full-size grass football pitch with changing rooms in the pavilion.",
      capacity=40, facilities=["changing_rooms", "toilets", "parking"],
      price="£45 a match; junior teams £25", how_to_book=BOOK_ONLINE,
      booking_url="https://millbrookcouncil.example/pitches")
space("rec", "Brookside Rec Junior Pitch", "pitch", ["football"],
      "A 7-a-side junior grass pitch.",
      capacity=24, facilities=["changing_rooms", "toilets", "parking"],
      price="£25 a match", how_to_book=BOOK_ONLINE,
      booking_url="https://millbrookcouncil.example/pitches")
space("family_hub", "Family Hub Group Room", "meeting_room", ROOM,
      "A group room with a play corner, used for baby groups and parenting courses.",
      capacity=20, facilities=["wifi", "tables_and_chairs", "toilets", "storage"], free=True,
      how_to_book="Free for groups working with families; email the hub.", hours="Mo-Fr 09:00-17:00; PH off")
space("village_hall", "Castleshaw Village Hall", "hall", HALL + ["community-centres"],
      "A stone village hall with a stage, a kitchen and a car park, popular for parties and dance classes.",
      capacity=120, facilities=["stage", "kitchen", "tables_and_chairs", "toilets", "parking", "piano"],
      price="£18 an hour; local groups £12", how_to_book="Phone the booking secretary.")
space("village_hall", "Village Hall Kitchen", "kitchen", KITCHEN,
      "A domestic-standard kitchen with a cooker, urn and crockery for 100.",
      facilities=["kitchen"], price="£5 an hour when hired with the hall",
      how_to_book="Phone the booking secretary.")
space("health_centre", "Health Centre Community Room", "meeting_room", ROOM,
      "A ground-floor room used by support groups and health education sessions.",
      capacity=25, facilities=["wifi", "projector", "tables_and_chairs", "toilets"], free=True,
      how_to_book="Free for health and wellbeing groups; email the estates team.",
      hours="Mo-Fr 09:00-17:00; PH off")
space("ashworth_court", "Ashworth Court Residents' Lounge", "meeting_room", ROOM,
      "A comfortable lounge in sheltered housing, available to groups for older people.",
      capacity=30, facilities=["kitchen", "tables_and_chairs", "toilets"], free=True,
      how_to_book="Ask the scheme manager.")
space("castleshaw_court", "Castleshaw Court Community Lounge", "meeting_room", ROOM,
      "A lounge with a kitchenette and wifi, used for coffee mornings and digital sessions.",
      capacity=25, facilities=["wifi", "kitchen", "tables_and_chairs", "toilets"], free=True,
      how_to_book="Ask the scheme manager.", contact=False)
space("wvh_hub", "Werneth Vale Hub Lounge", "meeting_room", ROOM + ["community-centres"],
      "A large, light lounge used for toddler groups, the pantry and residents' meetings.",
      capacity=40, facilities=["wifi", "kitchen", "tables_and_chairs", "toilets", "storage"],
      price="£10 an hour; free for estate groups", how_to_book="Drop in to the hub or phone.")
space("wvh_hub", "Werneth Vale Hub Kitchen", "kitchen", KITCHEN,
      "A community kitchen with a six-burner cooker and food hygiene-rated facilities for food projects.",
      facilities=["kitchen", "storage"], price="£8 an hour; free for estate groups",
      how_to_book="Drop in to the hub or phone.")
space("wvh_garden", "Outdoor Classroom", "garden", ["community-gardens"],
      "A covered outdoor classroom in the community garden, for gardening workshops and school groups.",
      capacity=25, facilities=["outdoor_area", "storage"], free=True,
      how_to_book="Email the garden coordinator.", contact=True)
space("dye_works", "Print Workshop", "workshop", ["crafts", "visual-arts"],
      "A print workshop with screen printing beds and an etching press, available for hire by experienced "
      "printmakers.",
      capacity=8, facilities=["storage", "toilets", "tables_and_chairs"],
      price="£12 a half day", how_to_book="Email us with your printing experience.")
space("dye_works", "Studio 4", "studio", ["visual-arts"],
      "A small artist's studio with north light, available on a monthly licence.",
      capacity=2, facilities=["storage", "toilets"], price="£140 a month",
      how_to_book="Email us for the waiting list.")
space("shed", "The Shed Workshop", "workshop", ["crafts"],
      "A woodwork and metalwork workshop with lathes, saws and benches, for hire by groups with a "
      "supervisor.",
      capacity=12, facilities=["storage", "toilets", "parking"], price="£10 a session",
      how_to_book="Ask at a Shed session.", contact=False)
space("hg_cc", "Hollins Green Main Hall", "hall", HALL + ["community-centres"],
      "A large wheelchair accessible hall with a stage and a sprung floor, for parties, dance classes and "
      "public meetings.",
      capacity=150, facilities=["stage", "sound_system", "tables_and_chairs", "toilets", "kitchen", "parking"],
      price="£20 an hour; community groups £12", how_to_book=BOOK_ONLINE,
      booking_url="https://hollinsgreencc.example/book", hours="Mo-Su 08:00-22:00")
space("hg_cc", "Hollins Green Meeting Room", "meeting_room", ROOM,
      "A quiet meeting room with a large table and a screen.",
      capacity=16, facilities=["wifi", "projector", "tables_and_chairs", "toilets"],
      price="£10 an hour", how_to_book=BOOK_ONLINE, booking_url="https://hollinsgreencc.example/book")
space("hg_cc", "Hollins Green Community Kitchen", "kitchen", KITCHEN,
      "A commercial-standard community kitchen for cooking courses, lunch clubs and food projects.",
      facilities=["kitchen", "storage"], price="£12 an hour", how_to_book=BOOK_ONLINE,
      booking_url="https://hollinsgreencc.example/book")
space("hg_cc", "Hollins Green Garden", "garden", ["community-gardens"],
      "A walled garden with raised beds and benches, for outdoor sessions and summer events.",
      capacity=50, facilities=["outdoor_area"], free=True, how_to_book="Email to reserve a date.")
space("fernlea_cc", "Fernlea Community Hall", "hall", HALL + ["community-centres"],
      "A community hall used by a food bank, a supper club, a slimming group and karate classes.",
      capacity=100, facilities=["tables_and_chairs", "toilets", "kitchen", "parking", "storage"],
      price="£15 an hour; community groups £8", how_to_book="Phone or email the centre.",
      hours="Mo-Sa 09:00-22:00")
space("fernlea_cc", "Fernlea Meeting Room", "meeting_room", ROOM,
      "A small upstairs meeting room (no lift).",
      capacity=12, facilities=["tables_and_chairs", "wifi"], accessibility=[],
      price="£7 an hour", how_to_book="Phone or email the centre.")
space("fernlea_cc", "Fernlea Community Kitchen", "kitchen", KITCHEN,
      "A well-equipped kitchen used by the community supper and available to other food projects.",
      facilities=["kitchen", "storage"], price="£8 an hour", how_to_book="Phone or email the centre.")
space("brookside_flat", "Brookside Community Flat", "meeting_room", ROOM,
      "A ground-floor flat on the estate with a lounge for meetings and drop-ins.",
      capacity=12, facilities=["kitchen", "tables_and_chairs", "toilets"], free=True,
      how_to_book="Free for residents' groups; email the association.", contact=True)
space("allotment_site", "Community Plot", "garden", ["allotments", "community-gardens"],
      "A shared plot and polytunnel for schools, groups and beginners.",
      capacity=20, facilities=["outdoor_area", "storage", "toilets"], free=True,
      how_to_book="Email the society secretary.")
space("staidans_hall", "St Aidan's Main Hall", "hall", HALL,
      "A large hall with a stage and a piano, used for choirs, toddler groups and the food bank.",
      capacity=150, facilities=["stage", "piano", "tables_and_chairs", "toilets", "kitchen"],
      price="£16 an hour; charities £10", how_to_book="Email the parish office.")
space("staidans_hall", "Parish Room", "meeting_room", ROOM,
      "A carpeted meeting room with comfortable chairs, ideal for support groups.",
      capacity=20, facilities=["tables_and_chairs", "toilets", "wifi"],
      price="£8 an hour", how_to_book="Email the parish office.")
space("staidans_hall", "St Aidan's Kitchen", "kitchen", KITCHEN,
      "A kitchen with two ovens and a dishwasher, available with the main hall.",
      facilities=["kitchen"], price="£5 an hour", how_to_book="Email the parish office.")
space("methodist", "Wesley Hall", "hall", HALL,
      "A light, modern hall behind the church with a kitchen, used by a lunch club and a faith forum.",
      capacity=80, facilities=["kitchen", "tables_and_chairs", "toilets", "parking"],
      price="£14 an hour", how_to_book="Phone the church steward.")
space("mosque", "Mosque Community Hall", "hall", HALL,
      "A community hall for weddings, community meals and events, with separate women's facilities.",
      capacity=200, facilities=["kitchen", "tables_and_chairs", "toilets", "sound_system", "parking"],
      price="By donation for community events", how_to_book="Phone the mosque office.")
space("gurdwara", "Langar Hall", "hall", HALL,
      "A large hall used for langar every day and available for community events at other times.",
      capacity=250, facilities=["kitchen", "tables_and_chairs", "toilets", "parking"], free=True,
      how_to_book="Speak to the gurdwara committee.")
space("college_main", "Conference Suite", "meeting_room", ROOM,
      "A conference room with theatre-style seating and video conferencing.",
      capacity=80, facilities=["wifi", "projector", "sound_system", "tables_and_chairs", "toilets", "parking"],
      price="£50 an hour", how_to_book=BOOK_ONLINE, booking_url="https://millbrookcollege.example/venue-hire")
space("college_main", "Training Kitchen", "kitchen", KITCHEN + ["cooking-classes"],
      "A professional training kitchen with twelve cooking stations.",
      capacity=12, facilities=["kitchen", "storage", "toilets"], price="£45 an hour",
      how_to_book=BOOK_ONLINE, booking_url="https://millbrookcollege.example/venue-hire",
      hours="Sa 09:00-17:00")
space("college_fernlea", "Fernlea Campus Classroom", "classroom", ROOM,
      "A classroom with a whiteboard and screen, available in the evenings and at weekends.",
      capacity=24, facilities=["wifi", "projector", "tables_and_chairs", "toilets"],
      price="£20 an hour", how_to_book=BOOK_ONLINE)
space("hg_primary", "School Hall", "hall", HALL,
      "A school hall available after 6pm and at weekends for clubs and classes.",
      capacity=120, facilities=["tables_and_chairs", "toilets", "piano", "parking"],
      price="£20 an hour", how_to_book="Email the school business manager.",
      hours="Mo-Fr 18:00-21:30; Sa,Su 09:00-17:00")
space("academy", "Sports Hall", "sports_hall", ["gym-and-fitness", "inclusive-sport"],
      "A four-court sports hall for badminton, five-a-side, basketball and netball.",
      capacity=60, facilities=["changing_rooms", "toilets", "parking"],
      price="£38 an hour", how_to_book=BOOK_ONLINE,
      booking_url="https://castleshawacademy.example/lettings", hours="Mo-Fr 17:30-21:30; Sa,Su 09:00-17:00")
space("academy", "3G Pitch", "pitch", ["football"],
      "A floodlit all-weather 3G pitch that can be split into three five-a-side pitches.",
      capacity=30, facilities=["changing_rooms", "toilets", "parking"],
      price="£70 an hour full pitch; £30 a third", how_to_book=BOOK_ONLINE,
      booking_url="https://castleshawacademy.example/lettings", hours="Mo-Fr 17:30-21:30; Sa,Su 09:00-17:00")
space("academy", "Drama Studio", "studio", ["theatre-and-dance"],
      "A black-box drama studio with lighting rig and sprung floor.",
      capacity=60, facilities=["sound_system", "changing_rooms", "toilets"],
      price="£25 an hour", how_to_book=BOOK_ONLINE, booking_url="https://castleshawacademy.example/lettings")
space("active_leisure", "Studio 1", "studio", ["gym-and-fitness", "theatre-and-dance"],
      "A mirrored exercise studio with sound system, for dance and fitness classes.",
      capacity=30, facilities=["sound_system", "changing_rooms", "toilets", "parking"],
      price="£30 an hour", how_to_book=BOOK_ONLINE)
space("active_werneth", "Werneth Vale Sports Hall", "sports_hall", ["gym-and-fitness", "inclusive-sport"],
      "A sports hall with badminton courts, boccia sets and sports wheelchairs.",
      capacity=50, facilities=["changing_rooms", "toilets", "parking", "storage"],
      price="£35 an hour", how_to_book=BOOK_ONLINE)
space("youth_centre", "Music Studio", "studio", ["music"],
      "A recording studio and rehearsal room with drum kit, amps and a vocal booth.",
      capacity=8, facilities=["sound_system", "storage"], price="£12 an hour; free for under-19s",
      how_to_book="Phone the youth centre.")
space("cafe", "Upstairs Function Room", "meeting_room", ROOM,
      "A function room above the café with mill views, for meetings, workshops and parties. Catering "
      "available.",
      capacity=40, facilities=["wifi", "tables_and_chairs", "toilets", "projector"],
      price="£15 an hour; free for community groups buying refreshments", how_to_book="Ask at the counter.")
space("volunteer_centre", "Training Room", "classroom", ROOM,
      "A training room for volunteer inductions and charity training.",
      capacity=18, facilities=["wifi", "projector", "tables_and_chairs", "toilets"], free=True,
      how_to_book="Free for voluntary groups; email us.")
space("volunteer_centre", "Hot Desk Office", "office", ["volunteer-centres"],
      "Two hot desks with a phone and printer for small charities and community groups that have no "
      "office of their own.",
      capacity=2, facilities=["wifi", "tables_and_chairs", "toilets"],
      price="£5 a day", how_to_book="Email us to book a desk.", hours="Mo-Th 10:00-16:00; PH off")
space("welcome_centre", "Welcome Centre Classroom", "classroom", ROOM,
      "A classroom with a crèche next door, used for English classes.",
      capacity=20, facilities=["wifi", "tables_and_chairs", "toilets"],
      price="£8 an hour", how_to_book="Email the centre.")
space("carers_centre", "Quiet Room", "meeting_room", ROOM,
      "A small, quiet room for confidential conversations and support groups.",
      capacity=8, facilities=["tables_and_chairs", "toilets"], free=True,
      how_to_book="Free for carers' groups; phone the centre.")
space("opendoor_centre", "Art Room", "studio", ["visual-arts", "wellbeing-activities"],
      "A bright art room with sinks and easels, available to wellbeing groups.",
      capacity=14, facilities=["tables_and_chairs", "toilets", "storage"],
      price="£8 an hour", how_to_book="Email the centre.")

# ---------------------------------------------------------------------------
# Assets
# ---------------------------------------------------------------------------

assets = []
_asset_refs = {"mbc": "MBC", "nhs": "NCT", "police": "GMP"}
_asset_counter = {}


def asset(owner, name, description, tenure, community_use, current_use=None, loc=None, hood=None,
          street=None, uprn=True, address=True):
    n = _asset_counter.get(owner, 0) + rng.randint(1, 9)
    _asset_counter[owner] = n
    rec = {"id": new_id(), "owner_organisation_id": ORG[owner]["id"], "name": name,
           "description": description + SUFFIX}
    if loc:
        place = LOC[loc]
        if "uprn" in place:
            rec["uprn"] = place["uprn"]
        rec["asset_reference"] = f"{_asset_refs[owner]}-{n:04d}"
        for k in ("address_1", "address_2", "town", "postcode", "latitude", "longitude"):
            if k in place:
                rec[k] = place[k]
    else:
        if uprn:
            rec["uprn"] = new_uprn()
        rec["asset_reference"] = f"{_asset_refs[owner]}-{n:04d}"
        hood_name, _, _, _, streets = HOODS[hood]
        street = street or rng.choice(streets)
        postcode, (slat, slon) = street_info(hood, street)
        if address:
            rec["address_1"] = f"{rng.randint(1, 180)} {street}" if uprn else f"Land off {street}"
            if hood != "centre":
                rec["address_2"] = hood_name
        rec["town"] = TOWN
        rec["postcode"] = postcode
        rec["latitude"] = round(slat + rng.uniform(-0.0008, 0.0008), 6)
        rec["longitude"] = round(slon + rng.uniform(-0.0012, 0.0012), 6)
    rec["tenure"] = tenure
    if current_use:
        rec["current_use"] = current_use
    rec["community_use"] = community_use
    assets.append(rec)
    return rec


asset("mbc", "Millbrook Central Library", "A Grade II listed Carnegie library, extended in 1998.",
      "freehold", "in_use", current_use="Library", loc="central_library")
asset("mbc", "Hollins Green Library", "A single-storey 1960s library with a community room for hire.",
      "freehold", "spaces_for_hire", current_use="Library and community room", loc="hg_library")
asset("mbc", "Fernlea Library", "A small library in a parade of shops, held on a long lease.",
      "leasehold", "in_use", current_use="Library", loc="fernlea_library")
asset("mbc", "Millbrook Town Hall", "The Victorian town hall, with an assembly hall and meeting rooms "
      "hired out for events.", "freehold", "spaces_for_hire", current_use="Civic offices and venue hire",
      loc="town_hall")
asset("mbc", "Werneth Vale Park", "Thirty hectares of parkland, woodland and the Werneth Clough local "
      "nature reserve.", "freehold", "in_use", current_use="Public park", loc="park")
asset("mbc", "Brookside Recreation Ground", "Playing fields with two football pitches and a changing "
      "pavilion.", "freehold", "spaces_for_hire", current_use="Playing fields", loc="rec")
asset("mbc", "Fernlea Community Centre", "Transferred to Fernlea Community Association on a 25-year "
      "lease at a peppercorn rent under the community asset transfer policy.", "freehold", "transferred",
      current_use="Community centre", loc="fernlea_cc")
asset("mbc", "Castleshaw Road Allotments", "Allotment site managed by the allotment society under a "
      "management agreement.", "freehold", "in_use", current_use="Allotments", loc="allotment_site")
asset("mbc", "Former Brookside Highways Depot", "A vacant depot with a yard, garages and a two-storey "
      "office block. Expressions of interest are invited from community groups for a community asset "
      "transfer.", "freehold", "offered_for_transfer", current_use="Vacant (former highways depot)",
      hood="brookside", street="Sluice Gate Lane")
asset("mbc", "Former Castleshaw Road Primary School", "A Victorian school building closed in 2021, "
      "with a playground and a hall. Available for meanwhile community use while its future is decided.",
      "freehold", "available", current_use="Vacant", hood="castleshaw", street="Reservoir Terrace")
asset("mbc", "Land at Mill Lane", "A small plot of cleared land sold for housing in 2024.",
      "freehold", "disposed", hood="centre", street="Lodge Lane", uprn=False)
asset("mbc", "Millbrook Museum and Art Gallery", "A former mill owner's house leased by the council "
      "from a heritage trust.", "leasehold", "in_use", current_use="Museum and art gallery", loc="museum")
asset("mbc", "Hollins Green Park", "A neighbourhood park with a play area and a multi-use games area.",
      "freehold", "in_use", current_use="Park and play area", loc="hg_park")
asset("nhs", "Millbrook Health Centre", "A 2005 health centre with consulting rooms and a community "
      "room.", "freehold", "in_use", current_use="Health centre", loc="health_centre")
asset("nhs", "Former Werneth Clinic", "A single-storey clinic no longer needed by the trust. Offered "
      "to community organisations before being sold on the open market.", "freehold",
      "offered_for_transfer", current_use="Vacant (former clinic)", hood="werneth", street="Clough Street")
asset("police", "Millbrook Police Station", "The town's main police station.", "freehold", "in_use",
      current_use="Police station", loc="police_station")
asset("police", "Former Hollins Green Police Office", "A former police office above shops, sold in "
      "2023.", "leasehold", "disposed", hood="hollins", street="Hollins Brow")

# ---------------------------------------------------------------------------
# Assets in full: the Transparency Code and community-use details of a few assets, and the
# spaces inside assets linked to them (`asset_id` on the space). Set after the fact, using no
# random numbers, so every record above stays as it was.
# ---------------------------------------------------------------------------

_asset_named = {a["name"]: a for a in assets}


def extend_asset(name, **fields):
    _asset_named[name].update(fields)


extend_asset("Millbrook Town Hall", tenure_detail="occupied_by_owner", holding_type="Land and Building",
             size={"value": 3400, "unit": "square_metres"},
             services_delivered="Council offices, the register office and venue hire",
             reason_for_holding="The council's civic headquarters and the town's largest venue",
             annual_running_cost=412000, maintenance_backlog=1350000, energy_rating="e",
             facilities=["stage", "kitchen", "toilets", "sound_system", "piano", "tables_and_chairs"],
             capacity=300)
extend_asset("Hollins Green Library", tenure_detail="occupied_by_owner", holding_type="Land and Building",
             size={"value": 620, "unit": "square_metres"},
             services_delivered="Library, job club and a community room for hire",
             reason_for_holding="Statutory library service", annual_running_cost=68500,
             maintenance_backlog=42000, energy_rating="d", facilities=["wifi", "toilets", "kitchen"],
             capacity=40)
extend_asset("Fernlea Library", tenure_detail="occupied_by_owner", holding_type="Land and Building",
             annual_running_cost=31000, energy_rating="c")
extend_asset("Werneth Vale Park", tenure_detail="occupied_by_owner", holding_type="Parks and open space",
             size={"value": 30, "unit": "hectares"}, annual_running_cost=188000,
             reason_for_holding="Public open space and a local nature reserve",
             site_outline={"type": "Polygon", "coordinates": [[
                 [_asset_named["Werneth Vale Park"]["longitude"] - 0.004, _asset_named["Werneth Vale Park"]["latitude"] - 0.0025],
                 [_asset_named["Werneth Vale Park"]["longitude"] + 0.004, _asset_named["Werneth Vale Park"]["latitude"] - 0.0025],
                 [_asset_named["Werneth Vale Park"]["longitude"] + 0.004, _asset_named["Werneth Vale Park"]["latitude"] + 0.0025],
                 [_asset_named["Werneth Vale Park"]["longitude"] - 0.004, _asset_named["Werneth Vale Park"]["latitude"] + 0.0025],
                 [_asset_named["Werneth Vale Park"]["longitude"] - 0.004, _asset_named["Werneth Vale Park"]["latitude"] - 0.0025],
             ]]})
extend_asset("Fernlea Community Centre", tenure_detail="leasehold", holding_type="Land and Building",
             size={"value": 540, "unit": "square_metres"}, maintenance_backlog=15000, energy_rating="d",
             facilities=["kitchen", "toilets", "tables_and_chairs", "outdoor_area"], capacity=120,
             transfer={"recipient": "Fernlea Community Association",
                       "recipient_organisation_id": ORG["fca"]["id"], "completed_on": "2019-04-01",
                       "terms": "lease", "lease_years": 25})
extend_asset("Castleshaw Road Allotments", tenure_detail="licence", holding_type="Open space and allotments",
             size={"value": 1.8, "unit": "hectares"})
extend_asset("Former Brookside Highways Depot", tenure_detail="vacant", holding_type="Depot",
             size={"value": 0.6, "unit": "hectares"}, annual_running_cost=9500, maintenance_backlog=210000,
             energy_rating="g", reason_for_holding="Surplus to operational needs since the depot moved in 2024",
             transfer_closing_date="2027-03-31")
extend_asset("Former Castleshaw Road Primary School", tenure_detail="vacant", holding_type="Land and Building",
             size={"value": 1450, "unit": "square_metres"}, annual_running_cost=22000,
             maintenance_backlog=480000, energy_rating="f", facilities=["kitchen", "toilets", "outdoor_area"],
             capacity=150)
extend_asset("Former Werneth Clinic", tenure_detail="vacant", holding_type="Land and Building",
             size={"value": 310, "unit": "square_metres"}, maintenance_backlog=65000, energy_rating="e",
             transfer_closing_date="2027-01-15")
extend_asset("Millbrook Museum and Art Gallery", tenure_detail="occupied_by_owner",
             holding_type="Cultural buildings")

# A space is part of the asset at its location (matched by the point the asset took from it).
_location_at = {(l["latitude"], l["longitude"]): l["id"] for l in locations}
for _a in assets:
    _loc_id = _location_at.get((_a.get("latitude"), _a.get("longitude")))
    for _s in spaces:
        if _loc_id is not None and _s["location_id"] == _loc_id:
            _s["asset_id"] = _a["id"]

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------

for rec in locations:
    del rec["_org"]

register = {
    "organisations": organisations,
    "locations": locations,
    "services": services,
    "spaces": spaces,
    "assets": assets,
}

with open(OUT, "w", encoding="utf-8") as f:
    json.dump(register, f, indent=1, ensure_ascii=False)
    f.write("\n")

print(
    f"wrote {os.path.relpath(OUT)}: {len(organisations)} organisations, {len(locations)} locations, "
    f"{len(services)} services, {len(spaces)} spaces, {len(assets)} assets"
)
