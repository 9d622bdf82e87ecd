/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * slub_ll.pml - a Promela model of the slab-state protocol of mm/slub_ll.c,
 * checked exhaustively with spin (see README and run.sh in this folder).
 *
 * What is modelled, and how
 *
 *   NSLAB slabs of NOBJ objects each (object o lies in slab o / NOBJ), one
 *   node, NCPU CPUs, each CPU one process running operations one after the
 *   other, chosen freely: allocate, free any object handed out (by any CPU:
 *   remote frees), flush its CPU slab and its partial lists
 *   (flush_this_cpu), drain any CPU's pushed list (flush_all ->
 *   drain_cpu), give back empty partial slabs (release_empty_slabs),
 *   resume an interrupted put_cpu_partial().
 *
 *   Per-CPU partial slabs (CPU_PARTIAL_SLABS > 0, s->cpu_partial_slabs;
 *   0 is the protocol without them, state for state the model as it was
 *   before they came), the owner design: each slab's owner slab->cpu
 *   (sowner[]), set when it becomes a CPU's slab or is moved to a CPU's
 *   own list by fill_cpu_partial(); each CPU's pushed list, the pair
 *   (c->partial, c->partial_stamp), and its own list (c->partial_own,
 *   c->partial_own_nr, c->partial_own_objs), both through slab->next
 *   (snext[]); the weights of the lists are counted in slabs, all of
 *   NOBJ objects (cpn[], the pushed half of the stamp; cownn[], the own
 *   list's plain word), and CPU_PARTIAL_SLABS bounds the two together.
 *   The stamp's other half counts the growths of the own list; the model
 *   keeps, instead of that count, whether the own list of an
 *   interrupted push's target grew since the push read the pair
 *   (pend_g[]), which is what comparing the count tells (short of its
 *   wrap).  A push compares the pair and decides on the own weight it
 *   read with it; the owner's take of its pushed list and its refills
 *   count a growth, its pops and flushes lower the weight without one.
 *   Any CPU pushes
 *   a slab made partial by a free on its owner's pushed list, or takes a
 *   pushed list whole (the pusher when it is full, drain_cpu(), the owner);
 *   only the owner touches its own list, with interrupts off: its take of
 *   the pushed list reversed onto the own list and the pop
 *   (pop_cpu_partial()), the appends of fill_cpu_partial(), the take of
 *   both in flush_cpu_partial() are one step each.  Every take is one step
 *   (read and compare-exchange to (NULL, 0)): the compare succeeds only if
 *   the pair is what was read, and then the outcome is the same as with
 *   nothing in between.  put_cpu_partial() reads the owner's pair and
 *   compare-exchanges it.  Not interrupted, it runs in the step of the
 *   free's slab pair update, by the same argument (and the slab in transit
 *   is nobody else's: frees to it only push objects, which commutes).
 *   put_cpu_partial() runs with preemption disabled from its cpu_online()
 *   and cpu_partial_slabs reads to its last compare-exchange, so only an
 *   interrupt on its CPU can come between a read and a compare-exchange
 *   (besides other CPUs).  Interrupted (PREEMPT; chosen in the step
 *   before the update so that the update stays deterministic), its read
 *   goes to its CPU's slot pend_*[me] with its slab, the process goes on
 *   with other operations of that CPU (any of them, a superset of what an
 *   interrupt handler does), and later resumes the push on the same CPU:
 *   its compare-exchange fails unless the pair is what it read; after a
 *   failure or a drain it may be interrupted again.  Up to MAXPEND
 *   (default 2) pushes are interrupted at a time, one per CPU.  With
 *   TORN_READS a free's first put_cpu_partial() is not interrupted (its
 *   snapshot is incomplete when the choice is made).  REMOTE_DRAIN=0
 *   leaves out drain_cpu() of other CPUs' lists (to keep searches short).
 *
 *   HOTPLUG: CPU NCPU - 1 may go offline once: only when no CPU is inside
 *   put_cpu_partial()'s preempt-disabled section (stop_machine), then
 *   slub_ll_cpu_dead() flushes its slab and both lists.  A push whose
 *   owner is offline goes to the freeing CPU's pushed list.  After the
 *   teardown nothing may be left on the dead CPU (check_lists()).
 *
 *   RETUNE: cpu_partial_slabs is a variable, set to 0 once by the tuner
 *   process (slub_ll_set_cpu_partial(s, 0): store, synchronize_rcu(),
 *   flush); a free reads it in cpu_partial_wanted(), put_cpu_partial()
 *   before each read of the pair (0: it drains its slab to the node), and
 *   fill_cpu_partial() before each slab.  After the flush no CPU list may
 *   hold a slab (check_lists()).
 *
 *   The slab pair (freelist, counters = inuse, objects, frozen) is read
 *   into a snapshot that may be stale by the time it is used (with
 *   TORN_READS in two steps, one per word, so that it can also be torn),
 *   and changed only by slab_update_pair: one atomic compare-then-store of
 *   the whole pair (cmpxchg_dw, or the page lock in page-lock mode: the
 *   same thing at this level).  Free pointers are real: nxt[o] is the word
 *   at s->offset of object o, so a list is a head and a chain through nxt[].
 *
 *   The CPU pair (c->slab, c->freelist) is written by its own process only.
 *   The fastpaths run as one atomic step: preemption and interrupts inside
 *   a fastpath, and the tid that guards against them (invariant 4), are not
 *   modelled; neither are NUMA and node-specific allocations (the pop's
 *   node test), migration, a CPU coming back online, and the window of
 *   new_slab_chain() with interrupts enabled; nor pfmemalloc slabs, nor a
 *   change of cpu_partial other than to 0 (see README for the list).
 *
 *   get_partial_node() takes any slab of the partial list, not only the
 *   first, for itself and for the CPU's own list: a superset of what the
 *   code does.  Likewise flush_this_cpu() runs as two operations (its CPU
 *   slab, its partial lists), which other operations of the CPU may
 *   separate.
 *
 * Ghost state (not in the kernel): ostate[] (where each handed-out object
 * is), using[] (the slab each CPU is working on), dying[] (a slab its
 * discarder has decided to give back), busy (operations in progress),
 * tslab[] (a slab in transit: frozen by a free, pushed after an overflow
 * drain), dlist[] (a drain's detached list: a local variable in the code),
 * xlist[] (the pushed list an owner took, while it moves it to its own
 * list, within one step), pend_*[] (the interrupted pushes), hp (CPU
 * NCPU - 1 online, offline, dead), inop[] and rcu (who synchronize_rcu()
 * waits for), ipi[], tuned.  sowner[] is
 * slab->cpu, but forgotten (NIL) where the code never reads it: on the
 * node list and on a drain list.
 *
 * Each step names, in a comment, the C function of mm/slub_ll.c it stands
 * for.  Assertions marked inv1..inv3 check the invariants of the head
 * comment of mm/slub_ll.c, the others the safety properties (README);
 * STRICT_INV1 and STRICT_INV3 check invariants 1 and 3 as worded there,
 * which do not hold (README).
 *
 * Mutations (spin -DMUT_x, run.sh mutants): deliberate bugs that the model
 * must catch.
 */

#ifndef NCPU
#define NCPU		3
#endif
#ifndef NOBJ
#define NOBJ		3
#endif
#ifndef NSLAB
#define NSLAB		1
#endif
#ifndef MIN_PARTIAL
#define MIN_PARTIAL	1
#endif
#ifndef PREEMPT
#define PREEMPT		1	/* put_cpu_partial() may be interrupted */
#endif
#ifndef MAXPEND
#define MAXPEND		2	/* ... at most this many at a time */
#endif
#ifndef HOTPLUG
#define HOTPLUG		0	/* CPU NCPU - 1 may go offline */
#endif
#ifndef RETUNE
#define RETUNE		0	/* cpu_partial may be set to 0 */
#endif
#ifndef REMOTE_DRAIN
#define REMOTE_DRAIN	1	/* drain_cpu() of other CPUs' pushed lists */
#endif
#ifndef CPU_PARTIAL_SLABS
#define CPU_PARTIAL_SLABS 1	/* s->cpu_partial_slabs, 0: none */
#endif
/* s->cpu_partial_slabs as read now: CPU_PARTIAL_SLABS, or with RETUNE
 * a variable that slub_ll_set_cpu_partial() may set to 0 */
#if RETUNE
#define CPS		cps
#else
#define CPS		CPU_PARTIAL_SLABS
#endif
/* get_partial_node() moves up to cpu_partial_slabs / 2 more slabs */
#define NODE_EXTRA	(CPS / 2)

#if RETUNE && (HOTPLUG || CPU_PARTIAL_SLABS == 0)
#error "RETUNE needs CPU_PARTIAL_SLABS > 0 and no HOTPLUG"
#endif
#if HOTPLUG && CPU_PARTIAL_SLABS == 0
#error "HOTPLUG needs CPU_PARTIAL_SLABS > 0"
#endif
#if defined(MUT_PUSH_PREEMPTIBLE) && !HOTPLUG
#error "MUT_PUSH_PREEMPTIBLE needs HOTPLUG"
#endif
#if (defined(MUT_RETUNE_NOSYNC) || defined(MUT_FLUSH_IPI_FIRST)) && !RETUNE
#error "MUT_RETUNE_NOSYNC and MUT_FLUSH_IPI_FIRST need RETUNE"
#endif

#if defined(MUT_FREE_NOLOCK) && CPU_PARTIAL_SLABS > 0
#error "MUT_FREE_NOLOCK needs CPU_PARTIAL_SLABS=0 (full -> partial)"
#endif

#if NCPU > 3 || NSLAB > 3
#error "at most 3 CPUs and 3 slabs"
#endif

#define NO		(NOBJ * NSLAB)
#define NIL		255

/* ostate[o] */
#define O_FREE		0	/* in the allocator (or in the page allocator) */
#define O_OUT		1	/* handed out to a caller */
#define O_FREEING	2	/* being given back by some CPU */

/* --- the slabs: struct slab ----------------------------------------- */
byte sfree[NSLAB];		/* slab->freelist */
byte sinuse[NSLAB];		/* slab->inuse */
bit sfrozen[NSLAB];		/* slab->frozen; slab->objects is NOBJ */
bit live[NSLAB];		/* allocated from the page allocator */
byte nxt[NO];			/* free pointer of each object */

/* --- the node: struct kmem_cache_node ------------------------------- */
byte list_lock = NIL;		/* holder, or NIL */
bit on_partial[NSLAB];		/* on n->partial */
byte nr_partial;		/* n->nr_partial */

/* --- the CPUs: struct kmem_cache_cpu --------------------------------- */
byte cslab[NCPU];		/* c->slab, NIL when none */
byte cfree[NCPU];		/* c->freelist */
byte cpart[NCPU];		/* c->partial, the pushed list, NIL when none */
byte cpn[NCPU];			/* c->partial_stamp, pushed half */
byte cown[NCPU];		/* c->partial_own, the own list */
byte cownn[NCPU];		/* c->partial_own_nr, _objs */
byte snext[NSLAB];		/* slab->next on a CPU or drain list */
byte sowner[NSLAB];		/* slab->cpu, NIL when unset (the model
				 * forgets it on the node list: unread) */

/* --- ghost ----------------------------------------------------------- */
byte ostate[NO];
byte using[NCPU];
bit dying[NSLAB];
byte busy;
byte tslab[NCPU];		/* in transit to a CPU list */
byte dlist[NCPU];		/* detached list of a drain */
byte xlist[NCPU];		/* pushed list taken by its owner, being moved
				 * to its own list (inside one step) */
byte pend_sl[NCPU];		/* an interrupted put_cpu_partial() of each
				 * CPU: its slab, NIL when none */
byte pend_h[NCPU];		/* ... and the pair it read */
byte pend_n[NCPU];
byte pend_o[NCPU];		/* ... and the own list's weight it read
				 * after the pair */
bit pend_g[NCPU];		/* ... and whether that own list grew
				 * since: the stamp's count moved on */

#if HOTPLUG
byte hp;			/* CPU NCPU - 1: 0 online, 1 offline (its
				 * teardown to come or running), 2 dead
				 * (slub_ll_cpu_dead() done) */
#define ONLINE(c)	((c) != NCPU - 1 || hp == 0)
byte pend_c[NCPU];		/* the list an interrupted push is for */
#else
#define ONLINE(c)	1
#endif
#if RETUNE
byte cps = CPU_PARTIAL_SLABS;	/* s->cpu_partial_slabs */
byte rcu;			/* CPUs synchronize_rcu() waits for (bit
				 * per CPU) */
bit inop[NCPU];			/* an operation of the CPU in progress */
bit ipi[NCPU];			/* flush_this_cpu() asked of the CPU */
bit tuned;			/* slub_ll_set_cpu_partial(s, 0) returned */
#endif

/* interrupted pushes: how many */
#define PENDING(c)	(pend_sl[c] != NIL -> 1 : 0)
#if NCPU > 2
#define NPEND		(PENDING(0) + PENDING(1) + PENDING(2))
#else
#define NPEND		(PENDING(0) + PENDING(1))
#endif
/* no CPU inside put_cpu_partial()'s preempt-disabled section, from its
 * cpu_online() / cpu_partial_slabs read to its last compare-exchange: no
 * push interrupted, none between the take of a full list and its push */
#if NCPU > 2
#define NO_PUSH_SECTION	(NPEND == 0 && tslab[0] == NIL && \
			 tslab[1] == NIL && tslab[2] == NIL)
#else
#define NO_PUSH_SECTION	(NPEND == 0 && tslab[0] == NIL && \
			 tslab[1] == NIL)
#endif

hidden byte h_cnt[NO];
hidden byte h_pl[NSLAB];
hidden byte h_i, h_j, h_p, h_len, h_k, h_q, h_c, h_clen, h_w;

/* --- checks ------------------------------------------------------------ */

/* Invariant 2: nobody reads the free pointer of an object that is on a
 * slab's freelist (shared: remote frees push in front of it).  Only the
 * owner of an object, or of a whole list it took, reads its next field. */
inline assert_owned(obj)
{
	h_i = 0;
	do
	:: h_i < NSLAB ->
		h_p = sfree[h_i];
		h_len = 0;
		do
		:: h_p != NIL ->
			assert(h_p != obj);	/* inv2: a shared object */
			h_len++;
			assert(h_len <= NOBJ);	/* a cycle */
			h_p = nxt[h_p]
		:: else -> break
		od;
		h_i++
	:: else -> break
	od
}

/* The length of slab sl's freelist, into h_len; counts into h_cnt[]. */
inline walk_slab(sl)
{
	h_p = sfree[sl];
	h_len = 0;
	do
	:: h_p != NIL ->
		assert(h_p / NOBJ == sl);
		h_cnt[h_p]++;
		h_len++;
		assert(h_len <= NOBJ);
		h_p = nxt[h_p]
	:: else -> break
	od
}

/*
 * Invariant 1, as seen by whoever takes list_lock: a live slab is on the
 * partial list exactly when frozen == 0 and freelist != NULL.  The slab a
 * discarder has already decided to free (dying) is exempt unless
 * STRICT_INV1: see README, this exemption is needed.
 */
inline check_inv1()
{
	h_k = 0;
	h_j = 0;
	do
	:: h_j < NSLAB ->
		if
		:: live[h_j] ->
#ifndef STRICT_INV1
			if
			:: !dying[h_j] ->
#endif
				assert(on_partial[h_j] ==
				       (!sfrozen[h_j] && sfree[h_j] != NIL))
#ifndef STRICT_INV1
			:: else -> assert(!on_partial[h_j])
			fi
#endif
		:: else -> assert(!on_partial[h_j])
		fi;
		h_k = h_k + on_partial[h_j];
		h_j++
	:: else -> break
	od;
	assert(h_k == nr_partial)
}

/*
 * The lists of slabs (node partial list, CPU pushed and own lists, drain
 * lists, an owner's take, CPU slabs, slabs in transit): no slab is on two
 * (h_pl[] counts the places); a CPU list is as long as its count says, at
 * most cpu_partial_slabs, and holds only cpu-partial slabs (frozen,
 * freelist != NULL) of that owner; a detached list only cpu-partial ones.
 * One loop walks list h_w % 4 (pushed, own, owner's take, drain) of CPU
 * h_w / 4, to keep pan small.
 */
inline check_lists()
{
	h_j = 0;
	do
	:: h_j < NSLAB ->
		h_pl[h_j] = on_partial[h_j];
		h_j++
	:: else -> break
	od;
	h_i = 0;
	do
	:: h_i < NCPU ->
		if
		:: pend_sl[h_i] != NIL ->
			/* in transit, for its owner */
			assert(sfrozen[pend_sl[h_i]] &&
			       sowner[pend_sl[h_i]] < NCPU);
			h_pl[pend_sl[h_i]]++
		:: else
		fi;
		if
		:: cslab[h_i] != NIL ->
			h_pl[cslab[h_i]]++;
#if CPU_PARTIAL_SLABS > 0
			/* its own, or popped after a push that found its
			 * owner offline (slab->cpu is set by the refill) */
			assert(sowner[cslab[h_i]] == h_i ||
			       !ONLINE(sowner[cslab[h_i]]))
#endif
		:: else
		fi;
#if HOTPLUG
		/* slub_ll_cpu_dead() done: nothing of the CPU's is left */
		assert(hp < 2 || h_i != NCPU - 1 ||
		       (cslab[h_i] == NIL && cpart[h_i] == NIL &&
			cown[h_i] == NIL && pend_sl[h_i] == NIL));
#endif
#if RETUNE
		/* cpu_partial set to 0 and the flush returned: no CPU
		 * list holds a slab */
		assert(!tuned || (cpart[h_i] == NIL && cown[h_i] == NIL));
#endif
		if
		:: tslab[h_i] != NIL ->
			/* in transit, for its owner */
			assert(sfrozen[tslab[h_i]] && sowner[tslab[h_i]] < NCPU);
			h_pl[tslab[h_i]]++
		:: else
		fi;
		h_i++
	:: else -> break
	od;
	h_w = 0;
	do
	:: h_w < 4 * NCPU ->
		h_i = h_w / 4;
		h_c = (h_w % 4 == 0 -> cpart[h_i] :
		       (h_w % 4 == 1 -> cown[h_i] :
			(h_w % 4 == 2 -> xlist[h_i] : dlist[h_i])));
		h_clen = 0;
		do
		:: h_c != NIL ->
			assert(live[h_c] && sfrozen[h_c] && sfree[h_c] != NIL);
			/* a CPU's list: its slabs (drains forget owners),
			 * or those pushed there because their owner was
			 * offline */
			assert(h_w % 4 == 3 || sowner[h_c] == h_i ||
			       !ONLINE(sowner[h_c]));
			h_pl[h_c]++;
			h_clen++;
			assert(h_clen <= NSLAB);
			h_c = snext[h_c]
		:: else -> break
		od;
		/* the counts are exact, the lists bounded */
		assert(h_w % 4 != 0 || h_clen == cpn[h_i]);
		assert(h_w % 4 != 1 || h_clen == cownn[h_i]);
		assert(h_clen <= CPU_PARTIAL_SLABS || h_w % 4 == 3);
		/* one bound for both lists of a CPU */
		assert(h_w % 4 != 1 ||
		       cpn[h_i] + cownn[h_i] <= CPU_PARTIAL_SLABS);
		h_w++
	:: else -> break
	od;
	h_j = 0;
	do
	:: h_j < NSLAB ->
		assert(h_pl[h_j] <= 1);		/* never on two lists */
		h_j++
	:: else -> break
	od
}

/*
 * At a quiescent point (no operation in progress): every object of a live
 * slab is in exactly one place -- handed out, on its slab's freelist, or on
 * the list of the CPU holding its slab -- and inuse counts the rest; the
 * lists agree with the pairs; a dead slab has nothing left anywhere.
 */
inline check_quiescent()
{
	assert(list_lock == NIL);
	check_lists();
	h_i = 0;
	do
	:: h_i < NO ->
		assert(ostate[h_i] != O_FREEING);
		h_cnt[h_i] = (ostate[h_i] == O_OUT -> 1 : 0);
		h_i++
	:: else -> break
	od;
	h_i = 0;
	do
	:: h_i < NCPU ->
		h_p = cfree[h_i];
		h_len = 0;
		if
		:: cslab[h_i] == NIL -> assert(h_p == NIL)
		:: else -> assert(live[cslab[h_i]] && sfrozen[cslab[h_i]])
		fi;
		do
		:: h_p != NIL ->
			assert(h_p / NOBJ == cslab[h_i]);
			h_cnt[h_p]++;
			h_len++;
			assert(h_len <= NOBJ);
			h_p = nxt[h_p]
		:: else -> break
		od;
		h_i++
	:: else -> break
	od;
	h_j = 0;
	do
	:: h_j < NSLAB ->
		assert(!dying[h_j]);
		if
		:: live[h_j] ->
			walk_slab(h_j);
			assert(sinuse[h_j] + h_len == NOBJ);	/* inv3 */
			/* frozen: exactly one CPU holds it, as its slab or
			 * on its partial list, or an interrupted push does */
			assert(h_pl[h_j] - on_partial[h_j] == sfrozen[h_j]);
#if CPU_PARTIAL_SLABS > 0
			/* full: a free will push it to its owner */
			assert(sfrozen[h_j] || sfree[h_j] != NIL ||
			       sowner[h_j] < NCPU)
#endif
		:: else ->
			assert(h_pl[h_j] == 0)
		fi;
		h_i = h_j * NOBJ;
		do
		:: h_i < (h_j + 1) * NOBJ ->
			/* none lost, none twice: one place each */
			assert(h_cnt[h_i] == live[h_j]);
			h_i++
		:: else -> break
		od;
		h_j++
	:: else -> break
	od;
	check_inv1()
}

/* --- node lists and locks ------------------------------------------------
 * These are statement sequences, to be used inside d_step or atomic.
 */

/* spin_lock(&n->list_lock): whoever gets it sees lists and pairs agree */
#define LOCK_STEP	atomic { list_lock == NIL -> list_lock = me; \
				 locked = 1; check_inv1(); check_lists() }

/* spin_unlock(&n->list_lock) */
inline unlock_stmts()
{
	assert(list_lock == me);
	list_lock = NIL;
	locked = 0
}

/* WRITE_ONCE(slab->cpu, c): only with CPU lists, where it is read */
#if CPU_PARTIAL_SLABS > 0
#define SET_OWNER(sl, c)	sowner[sl] = c
#else
#define SET_OWNER(sl, c)	skip
#endif

/* add_partial(): never frozen or full on the list */
inline add_partial(sl)
{
	assert(list_lock == me && !on_partial[sl] && live[sl]);
	assert(!sfrozen[sl] && sfree[sl] != NIL);
	on_partial[sl] = 1;
	nr_partial++;
	SET_OWNER(sl, NIL)	/* not read on the list: forgotten */
}

/* remove_partial() */
inline remove_partial(sl)
{
	assert(list_lock == me && on_partial[sl]);
	on_partial[sl] = 0;
	nr_partial--
}

/* --- the slab pair ------------------------------------------------------- */

/* slab_read_pair(): READ_ONCE(slab->freelist), then (another step)
 * READ_ONCE(slab->counters); a discarded slab is never read */
inline read_freelist(sl)
{
	assert(live[sl] && using[me] == sl);
	ofl = sfree[sl]
}

inline read_counters(sl)
{
	assert(live[sl] && using[me] == sl);
	oin = sinuse[sl];
	ofz = sfrozen[sl]
}

/* slab_update_pair(): compare both words with (ofl, oin, ofz), store
 * (nfl, nin, nfz) if they match; ok says which */
inline update_pair(sl)
{
	assert(live[sl] && using[me] == sl);
	if
	:: sfree[sl] == ofl && sinuse[sl] == oin && sfrozen[sl] == ofz ->
		sfree[sl] = nfl;
		sinuse[sl] = nin;
		sfrozen[sl] = nfz;
		ok = 1;
		/* inv3: inuse counts every object not on the freelist,
		 * those on the CPU list of a frozen slab included */
		walk_slab(sl);
		assert(sinuse[sl] + h_len == NOBJ)
	:: else -> ok = 0
	fi
}

/* --- slab pages -------------------------------------------------------- */

/* allocate_slab(): a free slab page, born frozen with all its objects
 * taken; chain = their list, NIL if alloc_pages_node() failed.  Nobody
 * else can see the slab yet. */
inline allocate_slab()
{
	sl = 0;
	do
	:: sl < NSLAB && live[sl] -> sl++
	:: else -> break
	od;
	if
	:: sl < NSLAB ->
		assert(!on_partial[sl] && !dying[sl]);
		live[sl] = 1;
		sfree[sl] = NIL;
		sinuse[sl] = NOBJ;
		sfrozen[sl] = 1;
		h_i = 0;
		do
		:: h_i < NOBJ - 1 ->
			nxt[sl * NOBJ + h_i] = sl * NOBJ + h_i + 1;
			h_i++
		:: else -> break
		od;
		nxt[sl * NOBJ + NOBJ - 1] = NIL;
		chain = sl * NOBJ;
		using[me] = sl
	:: else ->
		sl = NIL;
		chain = NIL
	fi
}

/*
 * discard_slab(): back to the page allocator.  Nobody else may hold a
 * reference: no CPU slab, no operation in progress, no object handed out
 * or being freed, not the list.
 */
inline discard_slab(sl)
{
	assert(live[sl] && dying[sl] && !on_partial[sl]);
	assert(sinuse[sl] == 0 && !sfrozen[sl]);
	check_lists();
	assert(h_pl[sl] == 0);		/* on no list, no CPU's, no task's */
	h_i = 0;
	do
	:: h_i < NCPU ->
		assert(cslab[h_i] != sl);
		assert(h_i == me || using[h_i] != sl);
		h_i++
	:: else -> break
	od;
	h_i = sl * NOBJ;
	do
	:: h_i < (sl + 1) * NOBJ ->
		assert(ostate[h_i] == O_FREE);
		nxt[h_i] = NIL;		/* the page's contents are gone */
		h_i++
	:: else -> break
	od;
	live[sl] = 0;
	dying[sl] = 0;
	SET_OWNER(sl, NIL);	/* slab->cpu = UINT_MAX */
	sfree[sl] = NIL;
	sinuse[sl] = 0;
	sfrozen[sl] = 0
}

/* --- the transitions ----------------------------------------------------
 *
 * Each slab-pair transition is a loop of the code's shape
 *
 *	do { old = slab_read_pair(); new = f(old); [lock] }
 *	while (!slab_update_pair(old, new));
 *
 * The read (with f) is one step, or two with TORN_READS (each word its own
 * READ_ONCE); the lock its own step; the compare-exchange its own step.
 * What the code then does before it touches anything shared again --
 * CPU-local writes, list changes under the lock it holds, the unlock, the
 * re-read after a failed compare-exchange -- is folded into that step:
 * nobody can observe the difference.  f is one of the compute_*() below.
 */

/* __slab_free(): full -> cpu-partial, frozen in the same update
 * (cpu_partial_wanted() reads cpu_partial_slabs with the pair) */
#define TO_PARTIAL	(CPS > 0 && !ofz && ofl == NIL && nin > 0)

/* __slab_free(): push object o */
inline compute_free()
{
	assert(oin > 0);
	nxt[o] = ofl;		/* set_freepointer(s, tail, old.freelist) */
	nfl = o;		/* new.freelist = head */
	nin = oin - 1;		/* new.inuse -= cnt */
	nfz = ofz;
	/* to_cpu: full -> cpu-partial (CPU partials on, inuse stays > 0):
	 * new.frozen = 1 in the same update; the mutant forgets it, but
	 * still puts the slab on the CPU list without list_lock */
	tocpu = TO_PARTIAL;
#ifndef MUT_PUSH_NOFREEZE
	if
	:: tocpu -> nfz = 1
	:: else
	fi
#endif
}

/* refill_or_release() */
inline compute_refill()
{
	assert(ofz);		/* ours: nobody else unfreezes it */
	assert(cslab[me] == sl);	/* inv2: only the CPU slab is taken */
	nfl = NIL;
	nin = oin;
	nfz = 1;
	if
	:: ofl != NIL -> nin = NOBJ	/* take all, stay frozen */
	:: else -> nfz = 0		/* release: full, on no list */
	fi
}

/* freeze_slab(), list_lock held */
inline compute_freeze()
{
	assert(!ofz && ofl != NIL);	/* WARN_ON_ONCE(old.frozen || !old.freelist) */
#ifndef MUT_FREEZE_TAKES_ONE
	nfl = NIL;		/* the whole list */
	nin = NOBJ;		/* new.inuse = old.objects */
#else
	assert_owned(ofl);
	nfl = nxt[ofl];		/* only the first object */
	nin = oin + 1;
#endif
	nfz = 1
}

/* get_partial_node() -> freeze_keep(), list_lock held: partial ->
 * cpu-partial, the freelist stays */
inline compute_keep()
{
	assert(!ofz && ofl != NIL);
	nfl = ofl;
	nin = oin;
	nfz = 1
}

/* drain_cpu_partial(): cpu-partial -> partial, list_lock held */
inline compute_thaw()
{
	assert(ofz);		/* WARN_ON_ONCE(!old.frozen) */
	nfl = ofl;
	nin = oin;
#ifndef MUT_DRAIN_KEEPS_FROZEN
	nfz = 0
#else
	nfz = 1			/* the mutant: frozen stays set */
#endif
}

/* unfreeze_slab(): merge the CPU list chain..tail (nr objects) back */
inline compute_unfreeze()
{
	assert(ofz);		/* WARN_ON_ONCE(!old.frozen) */
#ifndef MUT_UNFREEZE_NO_SUB
	nin = oin - nr;		/* new.inuse -= nr */
#else
	nin = oin;
#endif
#ifndef MUT_UNFREEZE_KEEPS_FROZEN
	nfz = 0;
#else
	nfz = 1;
#endif
	nfl = ofl;
	if
	:: tail != NIL ->
		nxt[tail] = ofl;	/* set_freepointer(s, tail, old.freelist) */
		nfl = chain
	:: else
	fi
}

#ifdef TORN_READS
#define PAIR_FIRST(cx)	read_freelist(sl)
#define PAIR_SECOND(cx)	d_step { read_counters(sl); cx() };
#else
#define PAIR_FIRST(cx)	read_freelist(sl); read_counters(sl); cx()
#define PAIR_SECOND(cx)
#endif

/* a failed compare-exchange: spin_unlock_irqrestore() if locked, re-read */
#define RETRY(cx)	if \
			:: locked -> unlock_stmts() \
			:: else \
			fi; \
			PAIR_FIRST(cx)

/* --- the CPU ------------------------------------------------------------- */

/* An operation starts: busy++; with RETUNE, the CPU is in an operation
 * (a read-side critical section of RCU, counted whole) */
#if RETUNE
#define BEGIN_OP	busy++; inop[me] = 1
#else
#define BEGIN_OP	busy++
#endif

/* An operation starts only on an online CPU (the guard of its first step) */
#if HOTPLUG
#define UP	ONLINE(me) &&
#define UP_STEP	ONLINE(me) ->
#else
#define UP
#define UP_STEP
#endif

/* ___slab_alloc() "load:": the CPU list gets the rest of the chain, the
 * first object is handed out */
inline load_chain()
{
	assert(cslab[me] == sl && live[sl] && sfrozen[sl]);
	assert_owned(chain);
	cfree[me] = nxt[chain];		/* get_freepointer(s, object) */
	assert(ostate[chain] == O_FREE);	/* not handed out twice */
	ostate[chain] = O_OUT;
	nxt[chain] = NIL		/* the caller's now: contents unknown */
}

/* WRITE_ONCE(c->slab, slab) */
inline install_slab()
{
	assert(cslab[me] == NIL);
	cslab[me] = sl;
	SET_OWNER(sl, me)	/* WRITE_ONCE(slab->cpu, smp_processor_id()) */
}

/*
 * End of an operation, folded into its last step: forget the locals (so
 * that equal states meet).  Quiescent points are checked by monitor().
 */
inline finish()
{
	assert(list_lock != me);
	assert(tslab[me] == NIL && dlist[me] == NIL);
	busy--;
#if RETUNE
	/* synchronize_rcu(): this CPU has left what it was in, unless a
	 * put_cpu_partial() of it is interrupted */
	inop[me] = 0;
	if
	:: pend_sl[me] == NIL -> rcu = rcu & ~(1 << me)
	:: else
	fi;
#endif
	using[me] = NIL;
	sl = NIL; o = NIL; chain = NIL; tail = NIL; ph = 0;
	ofl = 0; oin = 0; nfl = 0; nin = 0; nr = 0; pn = 0;
	ofz = 0; nfz = 0; ok = 0; locked = 0; act = 0; pre = 0; tocpu = 0;
	tc = 0
}

/* get_partial_node(): any slab of the list (list_first_entry_or_null
 * takes the first: one of these choices) */
#define PICK(i)	:: on_partial[i] -> sl = i
inline pick_partial()
{
	if
	PICK(0)
#if NSLAB > 1
	PICK(1)
#endif
#if NSLAB > 2
	PICK(2)
#endif
	:: else -> sl = NIL
	fi
}

/* c in put_cpu_partial(): the kmem_cache_cpu of the slab's owner, or of
 * this CPU when the owner is offline: tc, chosen once (a local of the
 * process, not a hidden scratch variable: pan does not restore those when
 * it backtracks over a d_step, so one may not carry a value from one
 * transition to the next) */
#define TGT	tc
#if HOTPLUG
#define PEND_C(i)	pend_c[i]
#else
#define PEND_C(i)	sowner[pend_sl[i]]
#endif
/* whether a put_cpu_partial() may be interrupted now */
#define PRE_OK	(pend_sl[me] == NIL && NPEND < MAXPEND)

/*
 * The own list of CPU c grows (take_cpu_partial_to_own(),
 * cpu_partial_grow()): its weight is stored, then the growth counted in
 * the high half of c->partial_stamp by the compare-exchange of the pair,
 * so every interrupted push for c that read the pair before now fails
 * its compare.  (The growth is one step here; in between its two stores
 * a push reads a weight too high, which only makes it drain sooner.)
 */
inline own_grew(c)
{
	h_k = 0;
	do
	:: h_k < NCPU ->
		if
		:: pend_sl[h_k] != NIL && PEND_C(h_k) == c ->
			pend_g[h_k] = 1
		:: else
		fi;
		h_k++
	:: else -> break
	od
}

/*
 * ___slab_alloc() -> pop_cpu_partial(), interrupts off, no CPU slab (any
 * more).  An empty own list first gets the pushed list: take_cpu_partial()
 * (read the pair, compare-exchange it to (NULL, 0): one step, as the
 * compare succeeds only if the pair is what it read, and then the result is
 * the same as if nothing had come between), the taken list reversed onto
 * the own list, a growth of it (own_grew()).  Then the head of the own
 * list becomes the CPU slab, its weight lowered by a plain store, and
 * refill_or_release() starts on it.
 */
inline try_pop()
{
#if CPU_PARTIAL_SLABS > 0
	if
	:: cown[me] == NIL && cpart[me] != NIL ->
		xlist[me] = cpart[me];
		cpart[me] = NIL;
		cpn[me] = 0;
		own_grew(me);
		check_lists();
		do
		:: xlist[me] != NIL ->
			h_c = xlist[me];
			xlist[me] = snext[h_c];
			snext[h_c] = cown[me];
			cown[me] = h_c;
			cownn[me]++
		:: else -> break
		od;
		check_lists()
	:: else
	fi;
	if
	:: cown[me] != NIL ->
		sl = cown[me];
		/* cpu-partial, ours (or pushed here, its owner offline) */
		assert(sfrozen[sl] && sfree[sl] != NIL);
		assert(sowner[sl] == me || !ONLINE(sowner[sl]));
		cown[me] = snext[sl];
		cownn[me]--;
		snext[sl] = NIL;	/* stale in the code; read only on a list */
		/* c->slab, ahead of the code (after the refill there): no
		 * other CPU reads it; slab->cpu is set by the refill */
		assert(cslab[me] == NIL);
		cslab[me] = sl;
		using[me] = sl;
		check_lists();
		PAIR_FIRST(compute_refill)
	:: else
	fi
#else
	skip
#endif
}

/* get_partial_node() -> fill_cpu_partial(): the next slab for this CPU's
 * own list, if it holds fewer than cpu_partial_slabs / 2 and the node has
 * one; sl = NIL if not */
inline pick_keep()
{
	sl = NIL;
	if
	:: cownn[me] < NODE_EXTRA &&
	   cpn[me] + cownn[me] < CPS -> pick_partial()
	:: else
	fi;
	using[me] = sl;
	if
	:: sl != NIL -> PAIR_FIRST(compute_keep)
	:: else
	fi
}

/* fill_cpu_partial(): interrupts off, the slab appended to this CPU's own
 * list, its owner now this CPU */
inline append_own()
{
	SET_OWNER(sl, me);
	snext[sl] = NIL;
	if
	:: cown[me] == NIL -> cown[me] = sl
	:: else ->
		h_c = cown[me];
		do
		:: snext[h_c] != NIL -> h_c = snext[h_c]
		:: else -> break
		od;
		snext[h_c] = sl
	fi;
	cownn[me]++;
	own_grew(me);
	check_lists()
}

/* A drain list's slabs are never read for their owner again (they go to
 * the node list or back to the page allocator, never full: freelist !=
 * NULL is checked): the model forgets it, so that drains of lists of
 * different CPUs meet */
inline forget_owners()
{
	h_c = dlist[me];
	do
	:: h_c != NIL ->
		SET_OWNER(h_c, NIL);
		h_c = snext[h_c]
	:: else -> break
	od
}

/* get_partial_node() done: unlock, then ___slab_alloc() loads the slab it
 * froze first (already c->slab here: nothing reads that before) */
inline get_partial_done()
{
	unlock_stmts();
	sl = cslab[me];
	load_chain();
	finish()
}

/*
 * put_cpu_partial(): cpu_partial_update() of the owner's pair
 * (c->partial, c->partial_stamp) against what was read, (ph, pn and the
 * count of growths: pg says whether it moved on since), deciding on the
 * own weight po read after the pair.  The two lists at the bound: take
 * the whole pushed list into dlist[me] for a drain (ok = 1, act still
 * set); else push tslab[me] (done).  A failed compare leaves ok = 0: read
 * again.  The mutants store without comparing (a plain write of the pair
 * after the read): what happened in between is lost; MUT_PUSH_NOSTAMP
 * compares the pushed list but not the count of growths.
 */
inline cpu_partial_cas()
{
	ok = 0;
	if
	:: ph != NIL && pn + po >= CPU_PARTIAL_SLABS ->
		/* (head, n | g) -> (NULL, 0 | g), then drain_cpu_partial() */
		if
#ifndef MUT_TAKE_NOCAS
		:: cpart[TGT] == ph && cpn[TGT] == pn && !pg ->
#else
		:: true ->
#endif
			ok = 1;
			dlist[me] = ph;
			cpart[TGT] = NIL;
			cpn[TGT] = 0;
			check_lists();
			forget_owners()
		:: else
		fi
	:: else ->
		/* slab->next = head; (head, n | g) -> (slab, n + 1 | g) */
		if
#if defined(MUT_PUSH_NOCAS)
		:: true ->
#elif defined(MUT_PUSH_NOSTAMP)
		:: cpart[TGT] == ph && cpn[TGT] == pn ->
#else
		:: cpart[TGT] == ph && cpn[TGT] == pn && !pg ->
#endif
			ok = 1;
			snext[tslab[me]] = ph;
			cpn[TGT] = pn + 1;
			cpart[TGT] = tslab[me];
			tslab[me] = NIL;
			check_lists();
			finish()
		:: else
		fi
	fi
}

/*
 * put_cpu_partial(): tslab[me] is frozen, on no list.  Read the pair of
 * its owner (slab->cpu); the task is interrupted before its compare-exchange
 * if pre says so (chosen before: see choose_preempt()), or goes on at once.
 * At once, read and compare-exchange are one step: other CPUs may push or
 * take in between, but then the compare fails and nothing changed, and if
 * it succeeds the outcome is that of the one step (nothing it does depends
 * on the next of a listed slab).
 */
inline put_cpu_partial()
{
	assert(sowner[tslab[me]] < NCPU);	/* a full slab has an owner */
	/* cpu_online(slab->cpu), else raw_smp_processor_id() */
	tc = (ONLINE(sowner[tslab[me]]) -> sowner[tslab[me]] : me);
	ph = cpart[TGT];
	pn = cpn[TGT];
	po = cownn[TGT];
	pg = 0;
	if
	:: CPS == 0 || (ph == NIL && pn + po >= CPU_PARTIAL_SLABS) ->
		/* cpu_partial turned 0 since the free froze the slab, or
		 * the own list alone fills the bound: drain_cpu_partial() of
		 * it alone */
		ok = 1;
		dlist[me] = tslab[me];
		tslab[me] = NIL;
		snext[dlist[me]] = NIL;
		check_lists();
		forget_owners()
	:: else ->
		if
		:: pre && PRE_OK ->
			pend_sl[me] = tslab[me];
			pend_h[me] = ph;
			pend_n[me] = pn;
			pend_o[me] = po;
			pend_g[me] = 0;
#if HOTPLUG
			pend_c[me] = tc;
#endif
			tslab[me] = NIL;
			finish()
		:: else -> cpu_partial_cas()
		fi
	fi
}

/* Whether a put_cpu_partial() to come is interrupted: chosen in an atomic
 * step before it, so that the step itself stays deterministic (d_step).
 * Only when the free goes full -> cpu-partial, and the slot is free. */
inline choose_preempt()
{
#if PREEMPT && CPU_PARTIAL_SLABS > 0
	if
	:: PRE_OK && tocpu -> pre = 1
	:: true
	fi
#else
	skip
#endif
}

/*
 * A CPU frees object i, allocated on any CPU: slab_free_chain().  The
 * fastpath (the slab is this CPU's) pushes on the CPU list; otherwise
 * __slab_free() starts with its first read of the pair.
 */
#define CLAIM(i) \
	:: atomic { UP ostate[i] == O_OUT -> \
		ostate[i] = O_FREEING; o = i; BEGIN_OP; act = 1; \
		sl = o / NOBJ; using[me] = sl; \
		if \
		:: sl == cslab[me] -> \
			nxt[o] = cfree[me]; cfree[me] = o; \
			ostate[o] = O_FREE; finish() \
		:: else -> PAIR_FIRST(compute_free); choose_preempt() \
		fi }

/* flush_all() -> drain_cpu(c): take_cpu_partial() of CPU c's pushed
 * list, from any CPU (one step, see try_pop()), then drain it */
#define DRAIN_CPU(c) \
	:: atomic { \
		UP cpart[c] != NIL && (REMOTE_DRAIN || c == me) -> \
		BEGIN_OP; act = 1; \
		dlist[me] = cpart[c]; cpart[c] = NIL; cpn[c] = 0; \
		check_lists(); forget_owners() \
	   } \
	   goto drain

/* __slab_free(): when list_lock is needed */
#if defined(MUT_FREE_NOLOCK)
/* full -> partial: the pair updated without list_lock, the list after */
#define FREE_NEEDS_LOCK	(!ofz && nin == 0)
#elif defined(MUT_FREE_FROZEN_LOCKS)
/* the frozen test forgotten: a frozen slab may be listed or discarded */
#define FREE_NEEDS_LOCK	(!tocpu && (ofl == NIL || nin == 0))
#else
/* full -> cpu-partial needs no lock: frozen 0 -> 1, leaves no list */
#define FREE_NEEDS_LOCK	(!ofz && !tocpu && (ofl == NIL || nin == 0))
#endif

/* list_lock held after a successful update: unfreeze_slab() and
 * __slab_free() move the slab to the list, or give it back */
inline settle_locked()
{
	if
	:: nin == 0 && nr_partial >= MIN_PARTIAL ->
		dying[sl] = 1;
		if
		:: on_partial[sl] -> remove_partial(sl)	/* old.freelist */
		:: else
		fi;
		unlock_stmts()		/* discard_slab() is the next step */
	:: else ->
		if
		:: !on_partial[sl] -> add_partial(sl)	/* !old.freelist */
		:: else
		fi;
		unlock_stmts();
		finish()
	fi
}

proctype cpu(byte me)
{
	byte sl = NIL, o = NIL, chain = NIL, tail = NIL;
	byte ofl, oin, nfl, nin, nr, ph, pn, po, tc;
	bit ofz, nfz, ok, locked, act, pre, tocpu, pg;

idle:
	do
	/* kmem_cache_alloc() -> slab_alloc_node() */
	:: atomic {
		UP_STEP
		BEGIN_OP;
		act = 1;
		if
		:: cfree[me] != NIL ->
			/* slab_alloc_fast(): pop the CPU list */
			o = cfree[me];
			assert(o / NOBJ == cslab[me]);
			assert_owned(o);
			cfree[me] = nxt[o];
			assert(ostate[o] == O_FREE);	/* not handed out twice */
			ostate[o] = O_OUT;
			nxt[o] = NIL;
			finish()
		:: else ->
			/* __slab_alloc(): local_irq_save(); c->slab */
			sl = cslab[me];
			using[me] = sl;
			if
			:: sl != NIL -> PAIR_FIRST(compute_refill)
			:: else -> try_pop()
			fi
		fi
	   }
	   if
	   :: !act -> goto idle
	   :: else
	   fi;
	   /* ___slab_alloc(): c->freelist is NULL (no interrupt refilled it);
	    * sl is c->slab, or the slab just popped from the partial list */
	   if
	   :: sl != NIL ->
		/* refill_or_release() */
		do
		:: PAIR_SECOND(compute_refill)
		   d_step {
			update_pair(sl);
			if
			:: ok && ofl != NIL ->
				/* WRITE_ONCE(slab->cpu, ...) after a pop */
				SET_OWNER(sl, me);
				chain = ofl;		/* goto load */
				load_chain();
				finish()
			:: ok && ofl == NIL ->
				/* WRITE_ONCE(c->slab, NULL) */
				cslab[me] = NIL;
				using[me] = NIL;
				sl = NIL;
				/* the CPU partial list next */
				try_pop();
				if
				:: sl != NIL -> ok = 0
				:: else
				fi
			:: else -> RETRY(compute_refill)
			fi
		   }
		   if
		   :: ok || !act -> break
		   :: else
		   fi
		od
	   :: else
	   fi;
	   if
	   :: !act -> goto idle
	   :: else
	   fi;
	   /* get_partial() -> get_partial_node() */
	   if
	   :: nr_partial == 0	/* READ_ONCE(n->nr_partial), unlocked hint */
	   :: else ->
		atomic {
			list_lock == NIL -> list_lock = me; locked = 1;
			check_inv1();
			check_lists();
			/* one node: the pop came first, took the pushed
			 * list (new pushes may have come since) and found
			 * the own list empty */
			assert(cown[me] == NIL);
			pick_partial();
			using[me] = sl;
			if
			:: sl != NIL -> PAIR_FIRST(compute_freeze)
			:: else -> unlock_stmts()
			fi
		}
		if
		:: sl != NIL ->
			/* freeze_slab(), list_lock held */
			do
			:: PAIR_SECOND(compute_freeze)
			   d_step {
				update_pair(sl);
				if
				:: ok ->
					/* remove_partial(); the slab will be
					 * c->slab, loaded after the unlock */
					remove_partial(sl);
					chain = ofl;
					install_slab();
					/* fill_cpu_partial(): more slabs for
					 * the own list? */
					pick_keep();
					if
					:: sl == NIL -> get_partial_done()
					:: else
					fi
				:: else -> PAIR_FIRST(compute_freeze)
				fi
			   }
			   if
			   :: ok || !act -> break
			   :: else
			   fi
			od
		:: else
		fi
	   fi;
#if CPU_PARTIAL_SLABS / 2 > 0	/* NODE_EXTRA may be > 0 */
	   /* get_partial_node(), list_lock still held: freeze_keep() each
	    * further slab, remove_partial(), append it to this CPU's own
	    * list (fill_cpu_partial()) */
	   if
	   :: act && sl != NIL ->
		do
		:: PAIR_SECOND(compute_keep)
		   d_step {
			update_pair(sl);
			if
			:: ok ->
				remove_partial(sl);
				append_own();
				pick_keep();
				if
				:: sl == NIL -> get_partial_done()
				:: else
				fi
			:: else -> PAIR_FIRST(compute_keep)
			fi
		   }
		   if
		   :: !act -> break
		   :: else
		   fi
		od
	   :: else
	   fi;
#endif
	   if
	   :: !act -> goto idle
	   :: else
	   fi;
	   /* new_slab_chain() -> allocate_slab(), unpublished until the CPU
	    * has it: one step with c->slab = slab and load; the
	    * flush_cpu_slab_locked() after it finds c->slab NULL (no other
	    * task on this CPU meanwhile) */
	   d_step {
		allocate_slab();
		if
		:: chain != NIL ->
			install_slab();
			load_chain()
		:: else		/* no memory: return NULL */
		fi;
		finish()
	   }

	/* kmem_cache_free() of any handed-out object */
	:: if
	   CLAIM(0)
	   CLAIM(1)
#if NO > 2
	   CLAIM(2)
#endif
#if NO > 3
	   CLAIM(3)
#endif
#if NO > 4
	   CLAIM(4)
#endif
#if NO > 5
	   CLAIM(5)
#endif
#if NO > 6
	   CLAIM(6)
#endif
#if NO > 7
	   CLAIM(7)
#endif
	   fi;
	   if
	   :: !act -> goto idle
	   :: else
	   fi;
	   /* __slab_free(s, slab, o, o, 1) */
	   do
	   :: PAIR_SECOND(compute_free)
	      if
	      :: FREE_NEEDS_LOCK -> LOCK_STEP
	      :: else
	      fi;
	      d_step {
		update_pair(sl);
		if
		:: ok ->
			ostate[o] = O_FREE;
#ifdef STRICT_INV3
			/* inv3 as worded: inuse == 0 after a free means
			 * nobody can touch the slab any more */
			h_i = 0;
			do
			:: h_i < NCPU && nin == 0 ->
				assert(cslab[h_i] != sl);
				h_i++
			:: else -> break
			od;
#endif
			/* what the code relies on: so if it is not frozen */
			h_i = 0;
			do
			:: h_i < NCPU && nin == 0 && !nfz ->
				assert(cslab[h_i] != sl);
				h_i++
			:: else -> break
			od;
#ifdef MUT_FREE_NOLOCK
			if
			:: !locked && !ofz && ofl == NIL -> skip
			:: else ->
#endif
			if
			:: locked -> settle_locked()
			:: !locked && tocpu ->
				/* put_cpu_partial(), the compare-exchange
				 * of the slab pair done: only this CPU sees
				 * its pair, so that its steps may follow at
				 * once (those on other CPUs commute) */
				tslab[me] = sl;
				put_cpu_partial()
			:: else -> finish()	/* no list change */
			fi
#ifdef MUT_FREE_NOLOCK
			fi
#endif
		:: else -> pre = 0; RETRY(compute_free)
		fi
	      }
	      if
	      :: ok || !act -> break
	      :: else
	      fi
	   od;
#ifdef MUT_FREE_NOLOCK
	   if
	   :: act && !locked && list_lock == NIL && !on_partial[sl] ->
		/* the list change, under a later hold of list_lock */
		LOCK_STEP;
		d_step { settle_locked() }
	   :: else
	   fi;
#endif
	   if
#if CPU_PARTIAL_SLABS > 0
	   :: act && tocpu -> goto put_done	/* took a full list */
#endif
	   :: act && !tocpu -> d_step { discard_slab(sl); finish() }
	   :: else
	   fi

	/* flush_this_cpu() -> flush_cpu_slab_locked(), interrupts off */
	:: atomic {
		cslab[me] != NIL ->
		BEGIN_OP;
		act = 1;
		sl = cslab[me];
		using[me] = sl;
		chain = cfree[me];
		cslab[me] = NIL;
		cfree[me] = NIL;
		/* unfreeze_slab(): walk the CPU list for its tail and length */
		nr = 0;
		h_q = chain;
		do
		:: h_q != NIL ->
			assert_owned(h_q);
			tail = h_q;
			nr++;
			h_q = nxt[h_q]
		:: else -> break
		od;
		PAIR_FIRST(compute_unfreeze)
	   }
	   do
	   :: PAIR_SECOND(compute_unfreeze)
	      if
	      :: nfl != NIL -> LOCK_STEP	/* the partial list changes */
	      :: else
	      fi;
	      d_step {
		update_pair(sl);
		if
		:: ok && locked -> settle_locked()
		:: ok && !locked -> finish()	/* full, on no list */
		:: else -> RETRY(compute_unfreeze)
		fi
	      }
	      if
	      :: ok || !act -> break
	      :: else
	      fi
	   od;
	   if
	   :: act -> d_step { discard_slab(sl); finish() }
	   :: else
	   fi

#if CPU_PARTIAL_SLABS > 0
	/* flush_this_cpu() -> flush_cpu_partial(), interrupts off: take the
	 * pushed list (take_cpu_partial(): one step, see try_pop()), append
	 * the own list, drain_cpu_partial() the whole */
	:: atomic {
		(cpart[me] != NIL || cown[me] != NIL) ->
		BEGIN_OP;
		act = 1;
		dlist[me] = cpart[me];
		cpart[me] = NIL;
		cpn[me] = 0;
		if
		:: dlist[me] == NIL -> dlist[me] = cown[me]
		:: else ->
			h_c = dlist[me];
			do
			:: snext[h_c] != NIL -> h_c = snext[h_c]
			:: else -> break
			od;
			snext[h_c] = cown[me]
		fi;
		cown[me] = NIL;
		cownn[me] = 0;
		check_lists();
		forget_owners()
	   }
	   goto drain

	/* flush_all() -> drain_cpu(): take any CPU's pushed list (this
	 * one's too) from here, and drain it */
	DRAIN_CPU(0)
	DRAIN_CPU(1)
#if NCPU > 2
	DRAIN_CPU(2)
#endif

#if HOTPLUG
	/*
	 * CPU NCPU - 1 leaves cpu_online_mask: in stop_machine, which runs
	 * only when no CPU is inside a preempt-disabled section, so no
	 * put_cpu_partial() is between its cpu_online() and its last
	 * compare-exchange (the mutant lets the step come inside one of
	 * another CPU).  Then slub_ll_cpu_dead() (on another CPU; here
	 * the dead CPU's process stands for it): flush_cpu_slab_locked()
	 * and flush_cpu_partial() of its lists, the two flush operations
	 * above, which are all it may still run; the teardown is done when
	 * nothing is left.  Meanwhile other CPUs may take its pushed list
	 * (drain_cpu()).
	 */
	:: atomic {
		me == NCPU - 1 && hp == 0 &&
#ifndef MUT_PUSH_PREEMPTIBLE
		NO_PUSH_SECTION ->
#else
		pend_sl[me] == NIL && tslab[me] == NIL ->
#endif
		hp = 1
	   }
	:: atomic {
		hp == 1 && me == NCPU - 1 && cslab[me] == NIL &&
		cpart[me] == NIL && cown[me] == NIL ->
		hp = 2;
		check_lists()
	   }
	   goto dead
#endif
#if RETUNE
	/* flush_this_cpu() asked by flush_all() (the two flush operations
	 * above): done when both lists and the CPU slab are empty */
	:: atomic { ipi[me] && cslab[me] == NIL && cpart[me] == NIL &&
		cown[me] == NIL -> ipi[me] = 0 }
#endif

	/* the interrupted put_cpu_partial() of this CPU goes on */
	:: atomic {
		pend_sl[me] != NIL ->
		BEGIN_OP;
		act = 1;
		tslab[me] = pend_sl[me];
		tc = PEND_C(me);
		ph = pend_h[me];
		pn = pend_n[me];
		po = pend_o[me];
		pg = pend_g[me];
		pend_sl[me] = NIL;
		pend_h[me] = NIL;
		pend_n[me] = 0;
		pend_o[me] = 0;
		pend_g[me] = 0;
#if HOTPLUG
		pend_c[me] = 0;
#endif
		cpu_partial_cas()
	   }
	   goto put_done
#endif

	/* __kmem_cache_shrink() -> release_empty_slabs(): under list_lock
	 * every slab with slab_inuse() == 0 goes to a local list (bit i of
	 * nr), then each is discarded */
	:: atomic {
		UP nr_partial > 0 && list_lock == NIL ->
		BEGIN_OP;
		act = 1;
		list_lock = me;
		locked = 1;
		check_inv1();
		check_lists();
		h_j = 0;
		do
		:: h_j < NSLAB ->
			if
			:: on_partial[h_j] && sinuse[h_j] == 0 ->
				remove_partial(h_j);
				dying[h_j] = 1;
				nr = nr | (1 << h_j)
			:: else
			fi;
			h_j++
		:: else -> break
		od;
		unlock_stmts();
		if
		:: nr == 0 -> finish()
		:: else
		fi
	   }
	   do
	   :: act ->
		d_step {
			sl = 0;
			do
			:: !(nr & (1 << sl)) -> sl++
			:: else -> break
			od;
			nr = nr & ~(1 << sl);
			using[me] = sl;
			discard_slab(sl);
			using[me] = NIL;
			if
			:: nr == 0 -> finish()
			:: else
			fi
		}
	   :: else -> break
	   od
	od;

#if CPU_PARTIAL_SLABS > 0
	/* put_cpu_partial() again, after a failed compare-exchange or a
	 * drain */
put_partial:
	atomic {
#if PREEMPT
		if
		:: PRE_OK -> pre = 1
		:: true
		fi;
#endif
		put_cpu_partial()
	}
put_done:
	if
	:: !act -> goto idle
	:: act && !ok -> goto put_partial	/* compare failed: again */
	:: else -> goto drain			/* took the full list */
	fi;

	/*
	 * drain_cpu_partial(): each slab of the detached list dlist[me],
	 * list_lock held across them (one node).  Unfreeze, then
	 * add_partial(), or, empty and enough partial slabs, discard after the
	 * unlock (bit i of nr); freelist NULL (cannot happen): full.
	 */
drain:
	atomic {
		list_lock == NIL -> list_lock = me; locked = 1;
		check_inv1();
		check_lists();
		nr = 0;
		sl = dlist[me];
		using[me] = sl;
		PAIR_FIRST(compute_thaw)
	}
	do
	:: PAIR_SECOND(compute_thaw)
	   d_step {
		update_pair(sl);
		if
		:: ok ->
			/* slab->next, read before the slab is listed */
			dlist[me] = snext[sl];
			snext[sl] = NIL;
			if
			:: nfl != NIL ->
				if
				:: nin == 0 && nr_partial >= MIN_PARTIAL ->
					dying[sl] = 1;
					nr = nr | (1 << sl)
				:: else -> add_partial(sl)
				fi
			:: else		/* full, on no list */
			fi;
			if
			:: dlist[me] != NIL ->
				sl = dlist[me];
				using[me] = sl;
				PAIR_FIRST(compute_thaw);
				ok = 0
			:: else ->
				unlock_stmts();
				using[me] = NIL;
				sl = NIL
			fi
		:: else -> PAIR_FIRST(compute_thaw)	/* lock kept */
		fi
	   }
	   if
	   :: ok -> break
	   :: else
	   fi
	od;
	/* discard_slab() of the emptied ones, after the unlock */
	do
	:: nr != 0 ->
		d_step {
			sl = 0;
			do
			:: !(nr & (1 << sl)) -> sl++
			:: else -> break
			od;
			nr = nr & ~(1 << sl);
			using[me] = sl;
			discard_slab(sl);
			using[me] = NIL;
			sl = NIL
		}
	:: else -> break
	od;
	if
	:: tslab[me] != NIL -> goto put_partial	/* now push */
	:: else -> d_step { finish() }; goto idle
	fi
#endif
#if HOTPLUG
dead:
	skip
#endif
}

#if RETUNE
/*
 * drain_cpu(c) from flush_all(), in one step: take_cpu_partial(), then
 * drain_cpu_partial() under one hold of list_lock, the emptied slabs
 * discarded after it.  One step, as the thaw of a slab on a taken list
 * races only with frees to it (objects pushed, no list change: they
 * commute) and with nothing else, and whoever waits for list_lock
 * cannot tell the hold from a shorter one.
 */
inline tune_drain(c)
{
	t_sl = cpart[c];
	cpart[c] = NIL;
	cpn[c] = 0;
	do
	:: t_sl != NIL ->
		t_nx = snext[t_sl];
		snext[t_sl] = NIL;
		SET_OWNER(t_sl, NIL);
		assert(live[t_sl] && sfrozen[t_sl]);	/* WARN_ON_ONCE */
		sfrozen[t_sl] = 0;
		if
		:: sfree[t_sl] != NIL && sinuse[t_sl] == 0 &&
		   nr_partial >= MIN_PARTIAL ->
			dying[t_sl] = 1;
			t_dis = t_dis | (1 << t_sl)
		:: sfree[t_sl] != NIL && !(sinuse[t_sl] == 0 &&
		   nr_partial >= MIN_PARTIAL) ->
			add_partial(t_sl)
		:: else		/* full, on no list */
		fi;
		t_sl = t_nx
	:: else -> break
	od;
	unlock_stmts();
	do
	:: t_dis != 0 ->
		t_sl = 0;
		do
		:: !(t_dis & (1 << t_sl)) -> t_sl++
		:: else -> break
		od;
		t_dis = t_dis & ~(1 << t_sl);
		discard_slab(t_sl)
	:: else -> break
	od;
	t_sl = NIL
}

/* on_each_cpu_cond(has_cpu_slab, flush_this_cpu): has_cpu_slab() of each
 * CPU (its slab or own list) in one step, then the interrupts, waited for */
inline flush_ipi()
{
	atomic {
		c = 0;
		do
		:: c < NCPU ->
			ipi[c] = (cslab[c] != NIL || cown[c] != NIL);
			c++
		:: else -> break
		od;
		c = 0
	}
	do
	:: c < NCPU -> ipi[c] == 0; c++
	:: else -> break
	od
}

/*
 * slub_ll_set_cpu_partial(s, 0), once, from a task of its own:
 * WRITE_ONCE(s->cpu_partial_slabs, 0); synchronize_rcu(), which returns
 * once every CPU that was in an operation or had a put_cpu_partial()
 * interrupted has left it, so after every put_cpu_partial() that read the
 * old bound in its preempt-disabled section (MUT_RETUNE_NOSYNC does not
 * wait); then the flush: drain_cpu() of each CPU, then
 * on_each_cpu_cond(has_cpu_slab, flush_this_cpu).  After it, no CPU list
 * may hold a slab (check_lists()).  In that order only:
 * MUT_FLUSH_IPI_FIRST, the order of flush_all() (interrupts first), misses
 * a CPU that had only a pushed list when has_cpu_slab() looked and took it
 * onto its own list before drain_cpu() came.
 */
proctype tuner()
{
	byte me = NCPU, locked, c, t_sl = NIL, t_nx, t_dis;

	atomic {
		cps = 0;
		/* synchronize_rcu() waits for the CPUs in a section now */
		c = 0;
		do
		:: c < NCPU ->
			if
			:: inop[c] || pend_sl[c] != NIL -> rcu = rcu | (1 << c)
			:: else
			fi;
			c++
		:: else -> break
		od;
		c = 0
	}
#ifndef MUT_RETUNE_NOSYNC
	rcu == 0;
#endif
#ifdef MUT_FLUSH_IPI_FIRST
	flush_ipi();
#endif
	/* drain_cpu() of each CPU */
	c = 0;
	do
	:: c < NCPU ->
		atomic {
			list_lock == NIL -> list_lock = me; locked = 1;
			check_inv1();
			check_lists();
			tune_drain(c);
			c++
		}
	:: else -> break
	od;
#ifndef MUT_FLUSH_IPI_FIRST
	flush_ipi();
#endif
	atomic { tuned = 1; c = 0; check_lists() }
}
#endif

/* Every quiescent point (no operation in progress) is checked: a step
 * that changes no state, so it adds no states. */
proctype monitor()
{
end:	do
	:: atomic { busy == 0 -> check_quiescent() }
	od
}

init
{
	byte i = 0;

	atomic {
		do
		:: i < NCPU ->
			cslab[i] = NIL;
			cfree[i] = NIL;
			cpart[i] = NIL;
			cown[i] = NIL;
			xlist[i] = NIL;
			tslab[i] = NIL;
			dlist[i] = NIL;
			pend_sl[i] = NIL;
			pend_h[i] = NIL;
			using[i] = NIL;
			i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NSLAB ->
			sfree[i] = NIL; snext[i] = NIL; sowner[i] = NIL; i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NO -> nxt[i] = NIL; i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NCPU -> run cpu(i); i++
		:: else -> break
		od;
		run monitor();
#if RETUNE
		run tuner();
#endif
	}
}
