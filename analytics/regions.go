package analytics

// The regions of England, by their ONS codes.
const (
	regionNE = "E12000001" // North East
	regionNW = "E12000002" // North West
	regionYH = "E12000003" // Yorkshire and The Humber
	regionEM = "E12000004" // East Midlands
	regionWM = "E12000005" // West Midlands
	regionE  = "E12000006" // East of England
	regionL  = "E12000007" // London
	regionSE = "E12000008" // South East
	regionSW = "E12000009" // South West
)

// RegionOf returns the ONS code of the region of England that the council
// with ONS code council is in, and whether heard knows it.
//
// NHS Digital's ASCOF file gives each council, each region and England a
// row of their own but does not say which region a council belongs to, and
// neither ONS code says it (a council's first digits give its kind, not its
// place; NHS Digital's three-digit council codes follow an older grouping in
// which Cumbria, Bournemouth, Christchurch and Poole, Buckinghamshire,
// Wiltshire, Swindon, Dorset, Oxfordshire, Milton Keynes and the Berkshire
// councils sit with another region). So heard carries the ONS lookup of
// councils with adult social services responsibilities to regions. The 151
// councils of 2020-21 are checked against the 2020-21 file itself: every
// region's published numerators are the sums of its councils' numerators
// (TestRegionsAddUp). An admin can still choose another region.
func RegionOf(council string) (string, bool) {
	r, ok := councilRegions[council]
	return r, ok
}

// councilRegions maps a council's ONS code to its region's: the councils
// of the 2020-21 ASCOF file by region, with their names and NHS Digital
// codes, then the councils made since.
var councilRegions = map[string]string{
	// North East
	"E06000057": regionNE, // Northumberland (104)
	"E08000037": regionNE, // Gateshead (106)
	"E08000021": regionNE, // Newcastle upon Tyne (107)
	"E08000022": regionNE, // North Tyneside (108)
	"E08000023": regionNE, // South Tyneside (109)
	"E08000024": regionNE, // Sunderland (110)
	"E06000001": regionNE, // Hartlepool (111)
	"E06000002": regionNE, // Middlesbrough (112)
	"E06000003": regionNE, // Redcar and Cleveland (113)
	"E06000004": regionNE, // Stockton-on-Tees (114)
	"E06000047": regionNE, // County Durham (116)
	"E06000005": regionNE, // Darlington (117)
	// North West
	"E10000006": regionNW, // Cumbria (102)
	"E08000001": regionNW, // Bolton (304)
	"E08000002": regionNW, // Bury (305)
	"E08000003": regionNW, // Manchester (306)
	"E08000004": regionNW, // Oldham (307)
	"E08000005": regionNW, // Rochdale (308)
	"E08000006": regionNW, // Salford (309)
	"E08000007": regionNW, // Stockport (310)
	"E08000008": regionNW, // Tameside (311)
	"E08000009": regionNW, // Trafford (312)
	"E08000010": regionNW, // Wigan (313)
	"E08000011": regionNW, // Knowsley (315)
	"E08000012": regionNW, // Liverpool (316)
	"E08000014": regionNW, // Sefton (317)
	"E08000013": regionNW, // St. Helens (318)
	"E08000015": regionNW, // Wirral (319)
	"E06000006": regionNW, // Halton (321)
	"E06000007": regionNW, // Warrington (322)
	"E10000017": regionNW, // Lancashire (323)
	"E06000008": regionNW, // Blackburn with Darwen (324)
	"E06000009": regionNW, // Blackpool (325)
	"E06000049": regionNW, // Cheshire East (326)
	"E06000050": regionNW, // Cheshire West and Chester (327)
	// Yorkshire and The Humber
	"E08000016": regionYH, // Barnsley (204)
	"E08000017": regionYH, // Doncaster (205)
	"E08000018": regionYH, // Rotherham (206)
	"E08000019": regionYH, // Sheffield (207)
	"E08000032": regionYH, // Bradford (209)
	"E08000033": regionYH, // Calderdale (210)
	"E08000034": regionYH, // Kirklees (211)
	"E08000035": regionYH, // Leeds (212)
	"E08000036": regionYH, // Wakefield (213)
	"E06000011": regionYH, // East Riding of Yorkshire (214)
	"E06000010": regionYH, // Kingston upon Hull, City of (215)
	"E06000012": regionYH, // North East Lincolnshire (216)
	"E06000013": regionYH, // North Lincolnshire (217)
	"E10000023": regionYH, // North Yorkshire (218)
	"E06000014": regionYH, // York (219)
	// East Midlands
	"E10000019": regionEM, // Lincolnshire (503)
	"E10000021": regionEM, // Northamptonshire (504)
	"E10000007": regionEM, // Derbyshire (506)
	"E06000015": regionEM, // Derby (507)
	"E10000018": regionEM, // Leicestershire (508)
	"E06000016": regionEM, // Leicester (509)
	"E06000017": regionEM, // Rutland (510)
	"E10000024": regionEM, // Nottinghamshire (511)
	"E06000018": regionEM, // Nottingham (512)
	// West Midlands
	"E10000031": regionWM, // Warwickshire (404)
	"E08000025": regionWM, // Birmingham (406)
	"E08000026": regionWM, // Coventry (407)
	"E08000027": regionWM, // Dudley (408)
	"E08000028": regionWM, // Sandwell (409)
	"E08000029": regionWM, // Solihull (410)
	"E08000030": regionWM, // Walsall (411)
	"E08000031": regionWM, // Wolverhampton (412)
	"E10000028": regionWM, // Staffordshire (413)
	"E06000021": regionWM, // Stoke-on-Trent (414)
	"E06000019": regionWM, // Herefordshire, County of (415)
	"E10000034": regionWM, // Worcestershire (416)
	"E06000051": regionWM, // Shropshire (417)
	"E06000020": regionWM, // Telford and Wrekin (418)
	// East of England
	"E10000015": regionE, // Hertfordshire (606)
	"E10000020": regionE, // Norfolk (607)
	"E10000029": regionE, // Suffolk (609)
	"E06000032": regionE, // Luton (611)
	"E10000012": regionE, // Essex (620)
	"E06000033": regionE, // Southend-on-Sea (621)
	"E06000034": regionE, // Thurrock (622)
	"E10000003": regionE, // Cambridgeshire (623)
	"E06000031": regionE, // Peterborough (624)
	"E06000055": regionE, // Bedford (625)
	"E06000056": regionE, // Central Bedfordshire (626)
	// London
	"E09000007": regionL, // Camden (702)
	"E09000011": regionL, // Greenwich (703)
	"E09000012": regionL, // Hackney (704)
	"E09000013": regionL, // Hammersmith and Fulham (705)
	"E09000019": regionL, // Islington (706)
	"E09000020": regionL, // Kensington and Chelsea (707)
	"E09000022": regionL, // Lambeth (708)
	"E09000023": regionL, // Lewisham (709)
	"E09000028": regionL, // Southwark (710)
	"E09000030": regionL, // Tower Hamlets (711)
	"E09000032": regionL, // Wandsworth (712)
	"E09000033": regionL, // Westminster (713)
	"E09000001": regionL, // City of London (714)
	"E09000002": regionL, // Barking and Dagenham (716)
	"E09000003": regionL, // Barnet (717)
	"E09000004": regionL, // Bexley (718)
	"E09000005": regionL, // Brent (719)
	"E09000006": regionL, // Bromley (720)
	"E09000008": regionL, // Croydon (721)
	"E09000009": regionL, // Ealing (722)
	"E09000010": regionL, // Enfield (723)
	"E09000014": regionL, // Haringey (724)
	"E09000015": regionL, // Harrow (725)
	"E09000016": regionL, // Havering (726)
	"E09000017": regionL, // Hillingdon (727)
	"E09000018": regionL, // Hounslow (728)
	"E09000021": regionL, // Kingston upon Thames (729)
	"E09000024": regionL, // Merton (730)
	"E09000025": regionL, // Newham (731)
	"E09000026": regionL, // Redbridge (732)
	"E09000027": regionL, // Richmond upon Thames (733)
	"E09000029": regionL, // Sutton (734)
	"E09000031": regionL, // Waltham Forest (735)
	// South East
	"E10000025": regionSE, // Oxfordshire (608)
	"E06000042": regionSE, // Milton Keynes (613)
	"E06000036": regionSE, // Bracknell Forest (614)
	"E06000037": regionSE, // West Berkshire (615)
	"E06000038": regionSE, // Reading (616)
	"E06000039": regionSE, // Slough (617)
	"E06000040": regionSE, // Windsor and Maidenhead (618)
	"E06000041": regionSE, // Wokingham (619)
	"E06000046": regionSE, // Isle of Wight (803)
	"E10000030": regionSE, // Surrey (805)
	"E10000032": regionSE, // West Sussex (807)
	"E10000014": regionSE, // Hampshire (812)
	"E06000044": regionSE, // Portsmouth (813)
	"E06000045": regionSE, // Southampton (814)
	"E10000011": regionSE, // East Sussex (815)
	"E06000043": regionSE, // Brighton and Hove (816)
	"E10000016": regionSE, // Kent (820)
	"E06000035": regionSE, // Medway (821)
	"E06000060": regionSE, // Buckinghamshire (916)
	// South West
	"E06000058": regionSW, // Bournemouth, Christchurch and Poole (738)
	"E06000059": regionSW, // Dorset (809)
	"E06000054": regionSW, // Wiltshire (817)
	"E06000030": regionSW, // Swindon (819)
	"E06000052": regionSW, // Cornwall (902)
	"E10000013": regionSW, // Gloucestershire (904)
	"E10000027": regionSW, // Somerset (905)
	"E06000053": regionSW, // Isles of Scilly (906)
	"E06000022": regionSW, // Bath and North East Somerset (908)
	"E06000023": regionSW, // Bristol, City of (909)
	"E06000024": regionSW, // North Somerset (910)
	"E06000025": regionSW, // South Gloucestershire (911)
	"E10000008": regionSW, // Devon (912)
	"E06000026": regionSW, // Plymouth (913)
	"E06000027": regionSW, // Torbay (914)
	// Councils created after 2020-21 (not in that year's file): North
	// and West Northamptonshire (April 2021); Cumberland, Westmorland and
	// Furness, North Yorkshire and Somerset (April 2023).
	"E06000061": regionEM, // North Northamptonshire
	"E06000062": regionEM, // West Northamptonshire
	"E06000063": regionNW, // Cumberland
	"E06000064": regionNW, // Westmorland and Furness
	"E06000065": regionYH, // North Yorkshire
	"E06000066": regionSW, // Somerset
}
