package main

// The templates of planted sentences. Each {slot} is filled by generate.go;
// a slot in capitals plants a personal detail and is scored, one in lower
// case fills ordinary text (a title, a role, an ordinary date).

// nameTemplates plant names, by the kind of cue around them.
var nameTemplates = map[string][]string{
	"title": {
		"{title} {SURNAME} was very thorough and explained everything.",
		"I saw {title} {SURNAME} who was lovely.",
		"Please pass my thanks to {title} {SURNAME}.",
		"{firsttitle} {FIRST} looked after me on the night shift.",
		"The care from {title} {FULL} was excellent.",
		"{title} {INITIALSURNAME} did my operation.",
		"We were seen by {title} {SURNAME}, and then by {title} {SURNAME}.",
		"{firsttitle} {FIRST} was so patient with mum",
		"{title} {WORDSURNAME} came to see me twice.",
	},
	"thanks": {
		"Thank you to {FIRST} for everything.",
		"thanks {FIRST} and {FIRST}!",
		"A big thank you to {FULL} on the ward.",
		"Thank you so much {FIRST}, you made a difference.",
		"Many thanks to {FIRST}, {FIRST} and {FIRST} for their kindness.",
		"Special thanks to {FIRST} who went above and beyond.",
		"thank you {LOWERFIRST} x",
		"Everyone was kind, especially {FIRST}.",
		"Thanks to {WORDNAME} for sorting it out.",
		"Shout out to {FIRST} in reception.",
		"Thanks again {FIRST} & {FIRST}",
		"I am grateful to {FULL} for the support.",
	},
	"role": {
		"my social worker {FIRST} helped me fill in the forms",
		"My carer, {FIRST}, comes every morning and is wonderful.",
		"The OT called {FIRST} sorted the rails in the bathroom.",
		"{FIRST} the physio was brilliant.",
		"Our {role} {FIRST} always phones back.",
		"{FIRST}, my {role}, never gives up on me.",
		"my {role} {FULL} listened to me",
		"The {role} named {FIRST} was rude to my daughter.",
	},
	"praise": {
		"{FIRST} was amazing.",
		"I think {FIRST} was absolutely brilliant with my son.",
		"{FIRST} and {FIRST} were very kind.",
		"When I rang, {FIRST} helped me straight away.",
		"{FIRST} is a star!",
		"Honestly {FIRST} has been fantastic.",
		"{WORDNAME} was so helpful on the phone.",
	},
	"bare": {
		"I spoke to {FIRST} on Tuesday about my medication.",
		"{FIRST} came on time every day.",
		"Could {FULL} ring me back please.",
		"The letter was signed by {FULL}.",
	},
}

// templates plant the other kinds.
var templates = map[string][]string{
	"email": {
		"You can email me at {EMAIL} if you need more.",
		"my email is {EMAIL}",
		"Email: {EMAIL}.",
		"Contact {EMAIL} for my daughter.",
		"({EMAIL})",
	},
	"phone": {
		"Please call me on {PHONE}.",
		"My number is {PHONE} if you want to discuss this.",
		"tel {PHONE}",
		"Ring {PHONE} after 5pm, ask for me.",
		"mobile: {PHONE}, landline {PHONE}",
		"I rang {PHONE} three times and nobody answered.",
	},
	"nhs": {
		"My NHS number is {NHS}.",
		"NHS no. {NHS}",
		"(NHS number {NHS}) I was not told the results.",
		"Patient {NHS} waited two hours.",
		"my reference is {NHS} please look into it",
	},
	"postcode": {
		"I live in {POSTCODE} and the transport never comes.",
		"Postcode {POSTCODE}.",
		"We moved to {POSTCODE} last year.",
		"The clinic near {POSTCODE} is too far.",
	},
	"address": {
		"I live at {ADDRESS}, please write to me there.",
		"My address is {ADDRESS}, {POSTCODE}.",
		"The carer comes to {ADDRESS} every day.",
		"Send it to {ADDRESS}.",
	},
	"dob": {
		"I was born {DOB} and have never been treated this badly.",
		"DOB {DOB}",
		"date of birth: {DOB}.",
		"My mum (d.o.b. {DOB}) waited hours.",
		"Patient born on {DOB}, seen in A&E.",
		"Date of Birth - {DOB}",
	},
}

// hardNegatives are ordinary sentences with the traps of each kind:
// words that are names elsewhere, months, dates of visits, numbers that
// are not phones or NHS numbers, and services.
var hardNegatives = []string{
	"Will you please call me back?",
	"I hope the ward gets more staff.",
	"May was a difficult month for us.",
	"The bill for parking was far too high.",
	"Mark my words, this will happen again.",
	"I have faith in the NHS.",
	"Grace period for prescriptions was not explained.",
	"It was a joy to come here.",
	"Frank and honest advice, thank you.",
	"Thank you to the NHS and the Council.",
	"Thanks to all the staff at the GP surgery.",
	"Thank you for everything you did.",
	"The Council were slow to reply.",
	"On {date} the carer came late.",
	"My appointment on {date} was cancelled.",
	"I waited from {date} until {date} for a call back.",
	"My reference number was {refnumber}.",
	"I waited 3 hours and 20 minutes.",
	"Ward 12 and Bay 4 were clean.",
	"It cost £25 for 2 weeks of parking.",
	"10/10 would recommend.",
	"The appointment was at 10.30 but I was seen at 11.45.",
	"Call 111 or 999 in an emergency.",
	"It is a 5 minute walk from the bus stop.",
	"It took 2 hours to close the wound.",
	"Dawn visits are too early.",
	"Sunny day and a lovely garden.",
	"The Royal Infirmary was very busy.",
	"In June the service changed.",
	"April showers came and the roof leaked.",
	"Christmas was lonely on the ward.",
	"Rose garden outside was lovely.",
	"Best care I have had.",
	"Excellent service from start to finish.",
	"Physio was great and so was OT.",
	"Reception staff were polite.",
	"Rated 5 out of 5.",
	"There were 3 nurses for 28 patients.",
	"Bus number 42 stops outside.",
}

// The second wording: templates written as held-out ones after the first
// round of rules. Measured once as such (names found 0.688 of the time,
// 1.07% of the words of its hard negatives redacted by mistake), then used
// to change the rules, so no longer held out.
var secondNameTemplates = map[string][]string{
	"title": {
		"{title} {SURNAME}'s manner was dismissive.",
		"Nurse {FULL} took my bloods.",
		"Dr {FULL} from the surgery phoned.",
		"Seen by {title} {SURNAME} (consultant) in clinic.",
	},
	"thanks": {
		"Big shout-out to {FIRST} from the night team.",
		"Please thank {FULL} for me.",
		"Cheers {FIRST}!",
		"Thank u {FIRST} xx",
		"I would like to praise {FIRST} who was on duty on Sunday.",
	},
	"role": {
		"We were lucky to have {FIRST} as our support worker.",
		"My keyworker {FIRST} has been a rock.",
		"The receptionist ({FIRST}) was rude.",
		"{FIRST} (OT) came out quickly.",
	},
	"praise": {
		"{FIRST} and her team were fab.",
		"Our daughter adored {FIRST}.",
		"Without {FIRST} I would not have coped.",
	},
	"bare": {
		"Kind regards, {FULL}",
		"Ask for {FIRST} - she knows my case.",
		"{FIRST} from the district nursing team visited twice a week.",
	},
}

var secondTemplates = map[string][]string{
	"email":    {"contact me - {EMAIL} - any time", "e-mail {EMAIL} or phone"},
	"phone":    {"mob {PHONE}", "Phone me ({PHONE}) in the morning."},
	"nhs":      {"NHS No: {NHS}", "nhs num {NHS} - please check my records"},
	"postcode": {"Leeds, {POSTCODE}", "The bus to {POSTCODE} area is hourly."},
	"address":  {"we are at {ADDRESS} near the park", "address - {ADDRESS}"},
	"dob":      {"I'm 75 (born {DOB})", "DOB: {DOB}", "my birthday is {DOB}"},
}

var secondNegatives = []string{
	"There was a mark on my arm after the injection.",
	"Grace and dignity were shown to my father.",
	"The May bank holiday delayed my prescription.",
	"Faith groups were welcomed on the ward.",
	"Thank you NHS!",
	"Thank you Ward 3!",
	"Thanks Leeds Community Healthcare.",
	"Rose Ward was noisy at night.",
	"We waited from 9 till 5.",
	"Ref no 12345678 was on the letter.",
	"Will do better next time, they said.",
	"Bill payers deserve better.",
	"Dawn and dusk visits were offered.",
	"Sunny spells and a view of the garden.",
	"Nurses on Victoria Ward were great.",
}

// The held-out wording: templates written after the detector's rules were
// last changed and not used to change them, so their recall shows how the
// rules do on wording they were not fitted to. One planted sentence and
// one hard negative in four come from here, and benchredact reports them
// apart.
var heldOutNameTemplates = map[string][]string{
	"title": {
		"Went to see Dr {SURNAME} about my knee.",
		"{title} {SURNAME} and the team were on it.",
		"Midwife {FIRST} delivered our baby.",
		"Consultant {FULL} was rushed.",
	},
	"thanks": {
		"Massive thanks to {FIRST}.",
		"Thankyou {FIRST} and everyone on ward 4",
		"Credit to {FIRST} for her patience.",
		"Just want to say thanks to {FULL}.",
	},
	"role": {
		"Our home carer {FIRST} is part of the family.",
		"{FIRST}, the care co-ordinator, rang back quickly.",
		"Her OT is {FIRST} and she is lovely.",
		"The lady on reception, {FIRST}, was helpful.",
	},
	"praise": {
		"{FIRST} went out of her way for us.",
		"{FIRST} is brilliant at her job.",
		"I must say {FIRST} made the difference.",
	},
	"bare": {
		"{FIRST} sorted my tablets out.",
		"Me and {FIRST} had a good chat.",
		"Signed, {FULL}",
	},
}

var heldOutTemplates = map[string][]string{
	"email":    {"Reply to {EMAIL}", "email address {EMAIL}"},
	"phone":    {"contact no {PHONE}", "my daughter's number: {PHONE}"},
	"nhs":      {"NHS Number - {NHS}", "my nhs no is {NHS}"},
	"postcode": {"post code {POSTCODE}", "({POSTCODE})"},
	"address":  {"at {ADDRESS} since 1990", "{ADDRESS} is my home"},
	"dob":      {"D.O.B: {DOB}", "birth date {DOB}", "I was born on {DOB} in Leeds"},
}

var heldOutNegatives = []string{
	"Hope you can improve the food.",
	"Faith and culture were respected.",
	"June and July were busy months.",
	"Bill for the TV was extortionate.",
	"Thanks again.",
	"Thank you everyone at Airedale.",
	"Great team at Seacroft.",
	"The Mark 2 wheelchair was broken.",
	"Ward 7 at St James was fine.",
	"The nurse said 3 weeks.",
	"Queen Elizabeth Hospital was far.",
	"Took 45 minutes to arrive at 14:20.",
	"Rated 4/5 overall.",
	"I am 82 years old and live alone.",
	"Born and raised here, never seen it this bad.",
}
