package redact

import "sync"

// notNames are capitalised words that are never taken for a name after a
// cue: function words, words of praise and thanks, family and staff
// roles, services, institutions, days and months ("Thank you to the NHS",
// "Thanks Everyone", "my carer, Monday to Friday"). Lower case.
const notNames = `
a an the i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those who whom whose what which where when why how there here all both each every
everyone everybody everything someone somebody something anyone anybody anything nobody nothing none
no-one one some any many much more most lots lot few several other others another such same
and or but nor so yet for of to in on at by with from into onto upon about above after again against
along among around as before behind below beside between beyond during except inside near off out
outside over past since than through throughout till toward towards under until unto up via within without
if then else because although though while whilst unless whether once also too very really just only
even still already always never sometimes often usually now today tonight yesterday tomorrow soon later
recently finally overall unfortunately sadly however therefore otherwise meanwhile anyway indeed perhaps
maybe especially particularly generally actually absolutely definitely certainly obviously personally
not yes please thank thanks thankyou cheers well done sorry hello hi hey dear ok okay bless love xx xxx
is are was were be been being am have has had do does did will would shall should can could may might must
great good excellent brilliant lovely amazing fantastic wonderful superb outstanding kind caring helpful
friendly professional nice best better perfect fab fabulous awesome marvellous exceptional first second
third last next new old other big little happy pleased grateful glad
staff team teams nurse nurses doctor doctors dr gp gps carer carers worker workers manager managers
consultant consultants surgeon surgeons physio physios physiotherapist therapist therapists midwife
midwives paramedic paramedics receptionist receptionists reception pharmacist pharmacy dentist
practitioner practitioners sister matron crew ambulance volunteers volunteer admin management
everyone's people person patient patients relative relatives family families friend friends visitor
visitors client clients resident residents service services user users
mum mom mam mummy mother dad daddy father parent parents husband wife son daughter brother sister
grandson granddaughter grandma grandmother grandad granddad grandpa grandfather nan nana nanna gran
granny aunt auntie uncle cousin partner baby babies child children kids boy boys girl girls man men
woman women lady ladies gentleman gentlemen sir madam
nhs gp council hospital hospitals ward wards unit units clinic clinics centre center surgery practice
department dept trust health healthcare social care adult adults community mental home homes house
hospice infirmary general district royal county city borough local national university medical
emergency a&e ae icu itu outpatients outpatient inpatients inpatient maternity paediatrics radiology
x-ray xray mri ct scan scans covid covid-19 coronavirus lockdown vaccine vaccination booster
christmas easter god lord jesus christ heaven church mosque temple
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
england english britain british uk scotland scottish wales welsh ireland irish london
zoom teams google facebook whatsapp email phone telephone text online website app
mr mrs ms miss mx dr prof professor sr rev revd reverend cllr councillor dame master st saint
`

// titles come before a name: "Dr Patel", "Mrs O'Neill", "nurse Julie".
// Lower case, without a full stop.
const titles = `mr mrs ms miss mx master dr doctor prof professor nurse sister matron sr rev revd reverend
cllr councillor sir dame`

// roles are the people a comment names beside their role: "my social
// worker Anne-Marie", "my carer, Kwame,", "the OT called Sam", "Julie the
// physio". One or two words, lower case.
const roles = `carer carers nurse doctor gp ot physio physiotherapist therapist counsellor consultant midwife
receptionist manager befriender advocate paramedic surgeon dentist pharmacist psychiatrist psychologist
worker keyworker key-worker officer coordinator co-ordinator assessor practitioner volunteer cleaner driver matron
chaplain optician optometrist podiatrist chiropodist dietitian dietician audiologist radiographer
hca technician mentor tutor teacher coach buddy friend neighbour husband wife son daughter mum mother
dad father brother sister partner grandson granddaughter nan gran grandma grandad aunt uncle cousin
social_worker care_worker support_worker key_worker occupational_therapist health_visitor
district_nurse care_coordinator care_co-ordinator care_manager team_leader home_carer care_assistant
support_assistant ward_manager case_manager link_worker speech_therapist mental_health_nurse
community_nurse practice_nurse family_support`

// thanks are the phrases before names being thanked or praised: "thank
// you to Julie", "thanks Sam and Priya", "especially Priya". Lower case,
// words joined by "_".
const thanks = `thank thanks thankyou thanx ta cheers grateful_to gratitude_to shout_out shout-out shoutout
well_done kudos credit_to praise praise_for praise_to especially particularly specially including
not_forgetting mention appreciation_to big_up hats_off regards best_wishes sincerely faithfully`

// wordSets are the sets of the lists above, built once.
type wordSets struct {
	given, wordNames, notNames, titles, roles, thanks map[string]bool
}

var sets = sync.OnceValue(func() *wordSets {
	return &wordSets{
		given: wordSet(givenNames), wordNames: wordSet(wordNames), notNames: wordSet(notNames),
		titles: wordSet(titles), roles: wordSet(roles), thanks: wordSet(thanks),
	}
})
