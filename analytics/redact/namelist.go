package redact

import "strings"

// givenNames are common given names of people in the UK, lower case,
// written for heard by hand from general knowledge of the names of
// people of all ages and backgrounds in England, Scotland and Wales (no
// list was copied). Names that are also everyday words are in
// wordNames instead.
const givenNames = `
aaliyah aaron abbie abbey abby abdul abdullah abel abigail abu ada adam adebayo adeel adele adeola adil aditi aditya adnan adrian adriana agata agnes agnieszka ahmad ahmed aidan aiden aileen ailsa aimee aisha aishah aisling ajay akash akhtar alan alana alasdair alastair albert alberto alec aleksander aleksandra alesha alessandro alex alexa alexander alexandra alexis alfie alfred ali alice alicia alina alisha alison alistair allan allison ally alma althea alun alysha alyssa amal amanda amara amarjit amber-rose amelia amelie amina amir amira amit amna amy ana anaya andre andrea andreea andreas andrei andrew andy aneesa angela angelica angelika angie angus anil anisa anita anjali ann anna annabel annabelle anne anne-marie annette annie anthony antonio anwar anya archie arjun arlo arnold arthur arun asad asha ashfaq ashleigh ashley ashok asif asim aslam astrid aurora austin ava avril ayaan ayesha ayla aysha azra
babajide bailey balbir balwinder barbara barnaby barry bartosz basia beata beatrice beatrix becky belinda ben benjamin bernadette bernard beryl beth bethan bethany betty beverley bhavna bianca billie billy blessing bobby bogdan bonnie brandon brenda brendan brian bridget brooke bruce bryan bukola
caitlin caleb callum calum cameron camilla candice cara carl carla carlos carly carmen caroline carolyn carys casey cassandra catherine cathy cecilia cerys chantelle charlene charles charlie charlotte chelsea cheryl chidi chinedu chioma chloe chris christina christine christopher ciara cindy claire clara clare claudia clifford clive colin colleen connie connor conor craig cynthia
daisy-mae dale damian damien dan dana dani daniel daniela danielle danny daphne darius darren darryl dave david dawid debbie debra declan deborah deepak deepa deirdre delroy denise dennis derek desmond devon dexter dharmesh diana diane dilip dimitri dina dinesh dipak dominic dominika donna doreen doris dorota dorothy dougie douglas duncan dylan
eamon eddie edith edmund edna edward edwin ebony eileen elaine eleanor elena eleni eli elias elijah elinor eliza elizabeth ella ellie elliot elliott eloise elsie elspeth emeka emil emilia emily emma emmanuel enid eric erica erin ernest esme esther ethan ethel eugene eunice eva evan evelyn evie ewan ezra
fahad faisal farah farhan fatima fatuma fay fergus fern fernando fiona florence folake frances francesca francis franciszek freddie frederick freya funmi
gabriel gabriela gabrielle gareth gary gavin gemma geoff geoffrey george georgia georgina gerald geraldine gerard gerry gethin gillian gina giovanni gladys glenda glenn gloria gordon graham graeme grainne greg gregory gurdeep gurpreet gwen gwyneth
hamid hamza hannah harjit harold harpreet harriet harrison harry harvey hassan hayley hazel-ann heena helen helena henry herbert hilary hilda holly-mae howard hugh hugo humaira hussain hyacinth
iain ian ibrahim ida idris ifeoma imogen imran ina inderjit ines ingrid irene irfan isaac isabel isabella isabelle isaiah ishaan isla ismail ivan ivana iwona
jacob jacqueline jackie jade jagdish jake jamal james jamie jan jane janet janice jasmin jasmine jason jaspreet javed jayden jeanette jeff jeffrey jemima jennifer jenny jeremy jermaine jerome jess jessica jill jim jimmy joan joanna joanne jodie joe joel joey johanna john johnny jon jonathan jordan josef joseph josephine josh joshua josie joyce juan judith judy julia julian julie juliet justin jyoti
kabir kai kamal kamala karen karim karina karl karolina kasia kate katharine katherine kathleen kathryn kathy katie katy kavita kay kayleigh keeley keith kelly kelvin ken kenneth kerry kevin khadija khalid kieran kim kimberley kirsty kofi krishna kristina krzysztof kwabena kwame kyle
lakshmi laila lara laura lauren lawrence layla leah lee leila lena leo leon leonard leroy lesley leslie levi lewis liam lila lilian lillian linda lindsay lindsey lisa liz lizzie logan lois lola lorna lorraine louis louisa louise lucas lucia lucy luis luke lydia lynda lynn lynne
mabel maciej madeleine madison magda magdalena mahmood maisie maja malcolm mandeep mandy manjit manoj marcel marcia marcin marcus margaret margarita maria mariam marian marie marilyn marina mario marion marjorie marta martha martin martina mary matilda matt matthew maureen maurice max maxine maya megan mehmet melanie melissa meera michael michaela michal michelle mick mike mildred millie mina miriam mohamed mohammad mohammed mohammad moira molly monica monika morag morgan moses muhammad muriel mustafa
nadia nadine naomi naseem nasreen natalia natalie natasha nathan nathaniel neha neil nell nellie niamh nicholas nicky nicola nicole nigel nikhil nikki nina nisha noah noel nora norah noreen nuala
obinna oisin olga oliver olivia olu oluwaseun omar oscar owen
paddy paige pam pamela paolo parveen patricia patrick paul paula paulina pauline pawel pedro peggy peter petra philip philippa phoebe phyllis pierre piotr pippa polly pooja poppy pradeep precious-grace priya priyanka
qasim rachael rachel radek rafael rahul raj rajesh rajinder rakesh ramesh rani rashid raymond rebecca reece reggie rehana reuben rhian rhiannon rhys ricardo richard ricky rita robert roberta roberto robyn rocco rohan roisin roland ronald ronnie rory rosemary rosie ross rowan roxanne roy ruby-mae rupert russell ruth ryan
sabrina sadia safiya saima sajid sally salma salman sam samantha sameer samina samir samira samuel sana sandeep sandra sanjay santiago sara sarah sasha saskia scott seamus sean sebastian seren shabana shahid shakira shane shanice shannon sharon shaun sheila shelley sheryl shirley shona siddharth sian sienna simon simone siobhan sofia sonia sophia sophie stacey stanley stefan stella stephanie stephen steve steven stewart stuart sukhdev sumaira sunil sunita susan susie suzanne sylvia szymon
tahir tamara tammy tania tanya tara tariq tatiana ted teresa terence terri terry tessa theo theodore theresa thomas tim timothy tina toby tom tomasz tommy toni tony tracey tracy trevor tyler
umar usha uzma
valerie vanessa vera veronica vicky victoria vikram vinod violet vivian vivienne
wanda wayne wendy wilfred william winifred winston wojciech
xavier yasmin yasmine yusuf yvette yvonne
zac zachary zahra zainab zak zara zoe zofia zoltan zuzanna
`

// wordNames are given names that are also everyday words ("Will",
// "Grace", "Hope", "May" the month, "a Bill", "a Mark"). They are names
// only with a cue: after a title or a thank-you, beside a role, or
// followed by a surname.
const wordNames = `
will grace hope faith bill mark may june april august rose joy dawn sue pat art jack frank carol amber
ruby holly ivy iris lily daisy heather summer autumn rob nick don bob guy ray sky rich sandy dean chase
miles gene kit jean eve patience charity honor precious sunny penny crystal christian lance drew hunter
robin jay hazel olive pearl ginger melody harmony trinity cliff glen grant earl rex duke prince angel
mo jo al ed bea val les viv ash sterling major dusty
`

func wordSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[strings.ReplaceAll(w, "_", " ")] = true
	}
	return set
}
