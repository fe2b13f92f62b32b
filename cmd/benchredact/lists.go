package main

// The benchmark's own lists of what it plants. They are written apart from
// analytics/redact's lists, on purpose: about half of these given names
// are not in the detector's list (Scottish, Welsh, Irish, West African,
// southern African, Punjabi, Polish, Romanian, Vietnamese and Chinese
// names, and names with accents), so the figures show what the context
// cues find and not only what the list knows.

var givenNames = []string{
	// Names a list of common UK names is likely to hold.
	"Julie", "Sam", "Priya", "Kwame", "Anne-Marie", "Sarah", "David", "Mohammed", "Emma", "James",
	"Fatima", "Olivia", "Jack", "Amelia", "Oliver", "Sophie", "Daniel", "Hannah", "Thomas", "Aisha",
	"Michael", "Rebecca", "Lisa", "Gary", "Karen", "Tracey", "Paul", "Susan", "Claire", "Mark-Anthony",
	"Siobhan", "Rhys", "Bethan", "Ewan", "Niamh", "Ciara", "Declan", "Imran", "Harpreet", "Sunita",
	"Tomasz", "Agnieszka", "Chloe", "Liam", "Nadia", "Jermaine", "Delroy", "Yvonne", "Brenda", "Keith",
	// Names such a list may well lack.
	"Eilidh", "Mhairi", "Ruaridh", "Lachlan", "Iona", "Kirsteen", "Ffion", "Angharad", "Dafydd", "Gwilym",
	"Iolo", "Nerys", "Bronwen", "Tadhg", "Saoirse", "Caoimhe", "Padraig", "Fionnuala", "Eoin", "Cormac",
	"Chiamaka", "Nkechi", "Temitope", "Yetunde", "Olamide", "Babatunde", "Oluwadamilare", "Kwaku", "Efua",
	"Abena", "Kojo", "Yaw", "Tendai", "Farai", "Rutendo", "Thandiwe", "Sipho", "Lerato", "Naledi",
	"Amandeep", "Harvinder", "Kulwinder", "Parminder", "Navjot", "Simran", "Mehreen", "Shazia", "Nusrat",
	"Rukhsana", "Tasnim", "Farzana", "Bilal", "Zubair", "Waqas", "Usman", "Łukasz", "Grzegorz", "Bożena",
	"Urszula", "Jolanta", "Mateusz", "Jakub", "Ionuț", "Mihai", "Florin", "Ioana", "Thanh", "Minh",
	"Xiaoming", "Meilin", "Zoë", "José", "Anaïs", "Bartholomew", "Ottilie", "Peregrine", "Tallulah", "Zebedee",
}

// wordGivenNames are names that are also words; planted only with a cue.
var wordGivenNames = []string{"Will", "Grace", "Hope", "Faith", "Joy", "Rose", "Dawn", "Mark", "Bill", "Sunny"}

var surnames = []string{
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Roberts", "Patel",
	"Khan", "Ahmed", "Singh", "Kaur", "Begum", "Hussain", "O'Neill", "McDonald", "MacLeod", "Nowak",
	"Kowalski", "Okafor", "Adeyemi", "Mensah", "Nguyen", "Chen", "Wong", "Campbell", "Murphy", "Walsh",
	"Byrne", "O'Brien", "Hughes", "Edwards", "Llewellyn", "Pritchard", "Thompson", "Wright", "Okonkwo",
	"Achterberg", "Ó Súilleabháin", "Fitzgerald", "Choudhury", "Rahman", "Mahmood", "Grant-Lewis", "Dlamini",
}

// titles go before a surname (or a full name).
var titles = []string{"Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Doctor", "Nurse", "Sister", "Prof", "Mr.", "Mrs."}

// firstNameTitles go before a given name.
var firstNameTitles = []string{"Nurse", "nurse", "Sister", "Dr", "Doctor"}

var roleWords = []string{
	"social worker", "carer", "support worker", "OT", "physio", "key worker", "district nurse",
	"occupational therapist", "care coordinator", "health visitor", "nurse", "GP", "counsellor", "midwife",
}

var streetFirst = []string{
	"Acacia", "High", "Mill", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Kings",
	"Queens", "New", "Chapel", "School", "North", "Albert", "Grange", "Elm", "Oak", "Beech", "Windsor",
	"St Mary's", "Hollybush", "Cross", "Moor", "Bridge", "Wellington", "Harehills", "Tiverton", "Cae Glas",
}

var streetSuffixes = []string{
	"Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Close", "Drive", "Way", "Crescent",
	"Court", "Place", "Grove", "Gardens", "Terrace", "Walk", "Hill", "Mews", "View", "Rise",
}

// postcodeAreas are a sample of real areas, one and two letters.
var postcodeAreas = []string{
	"B", "E", "G", "L", "M", "N", "S", "W", "LS", "SW", "EC", "WC", "NW", "SE", "BD", "HX", "CF", "SA", "EH",
	"AB", "BT", "YO", "NE", "DH", "PL", "TR", "CB", "OX", "RG", "GU", "BS", "NG", "LE", "DE", "ST", "CV",
}

var months = []string{
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December",
}

var shortMonths = []string{"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"}

var emailDomains = []string{
	"gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "nhs.net", "btinternet.com",
	"leeds.gov.uk", "icloud.com", "sky.com", "live.co.uk", "example.org",
}

// wordSurnames are surnames that are also words, planted after a title.
var wordSurnames = []string{"Green", "White", "Hall", "Wood", "Cook", "Baker", "Hope", "Bishop", "May", "Rich"}

// namedInFFT are the comments of the NHS file whose text names a member
// of staff (Dr Howard, Lynn, Carol, Tina, Jill, Rachel twice, Lisa,
// Michael, Dr Omonori, Rebecca, Victoria, Tian), found by reading every span
// the detector reported on the file. They are left out of the ordinary
// text, whose every word is counted as not personal; the file's "Person
// identifiable info?" column is empty on every row, so it could not say.
var namedInFFT = map[string]bool{
	"NHFT 1214 - Q2": true, "NHFT 232 - Q2": true, "NHFT 592 - Q2": true, "NHFT 1567 - Q2": true,
	"NEAS S&C 5353 - Q1": true, "NHFT 758 - Q2": true, "NHFT 1181 - Q2": true, "NHFT 1463 - Q2": true,
	"NEAS 111 1432 - Q3": true, "NHFT 445 - Q2": true, "NHFT 646 - Q2": true, "NHFT 1524 - Q2": true,
	"NHFT 230 - Q2": true,
}
