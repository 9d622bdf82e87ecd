// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/slab/<cache>/ for SLUB-LL.
 *
 * Each cache gets a directory whose files describe its geometry (object
 * and slab sizes, page order, objects per slab), how many slabs and
 * objects it holds right now (per node, as "total N<node>=<count>..."),
 * and, with CONFIG_SLUB_LL_STATS, one file per statistic holding the sum
 * over all CPUs followed by " C<cpu>=<count>" for each CPU that counted
 * something.  Where upstream SLUB has a file with the same meaning, the
 * name and the format are SLUB's, so tools/vm/slabinfo reads SLUB-LL
 * caches unchanged.  Writing 0 to a statistic clears it on every CPU.
 *
 * Lifetime: the kobject is embedded in struct kmem_cache.  Once it has
 * been initialised, the cache is freed by its release callback, after
 * the last reference is dropped: the common slab code unlinks the
 * directory (sysfs_slab_unlink) and then drops its own reference
 * (sysfs_slab_release).  A reader holding a file open keeps nothing
 * alive past the unlink, because kernfs drains active readers before
 * the directory goes away.
 *
 * Caches created before the slab kset exists (the kmalloc caches, the
 * caches of early boot) are added by slub_ll_sysfs_init(), which walks
 * slab_caches under slab_mutex and then declares the allocator complete
 * (slab_state FULL); caches created later are added by the allocator
 * through slub_ll_sysfs_add(), also under slab_mutex.
 *
 * A cache merged into an existing one (find_mergeable()) is that cache:
 * its name becomes a symbolic link to the existing cache's directory, as
 * on SLUB, and the "aliases" file counts such names.
 */

#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/cpu.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/init.h>
#include "slab.h"

static struct kset *slab_kset;

struct sll_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kmem_cache *s, char *buf);
	ssize_t (*store)(struct kmem_cache *s, const char *buf, size_t len);
};

#define to_sll_attr(a)	container_of(a, struct sll_attribute, attr)
#define to_cache(k)	container_of(k, struct kmem_cache, kobj)

#define SLL_ATTR_RO(_name)						\
	static struct sll_attribute _name##_attr = __ATTR_RO(_name)
#define SLL_ATTR_RW(_name)						\
	static struct sll_attribute _name##_attr = __ATTR_RW_MODE(_name, 0600)
#define SLL_ATTR_WO(_name)						\
	static struct sll_attribute _name##_attr = __ATTR_WO(_name)

/* Geometry of the cache: fixed once the cache exists. */

static ssize_t slab_size_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->size);
}
SLL_ATTR_RO(slab_size);

static ssize_t object_size_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->object_size);
}
SLL_ATTR_RO(object_size);

static ssize_t objs_per_slab_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->objects);
}
SLL_ATTR_RO(objs_per_slab);

static ssize_t order_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->order);
}
SLL_ATTR_RO(order);

static ssize_t align_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->align);
}
SLL_ATTR_RO(align);

static ssize_t usersize_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->usersize);
}
SLL_ATTR_RO(usersize);

static ssize_t ctor_show(struct kmem_cache *s, char *buf)
{
	if (!s->ctor)
		return 0;
	return sysfs_emit(buf, "%pS\n", s->ctor);
}
SLL_ATTR_RO(ctor);

static ssize_t aliases_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%d\n", s->refcount < 0 ? 0 : s->refcount - 1);
}
SLL_ATTR_RO(aliases);

static ssize_t flag_show(struct kmem_cache *s, char *buf, slab_flags_t flag)
{
	return sysfs_emit(buf, "%d\n", !!(s->flags & flag));
}

static ssize_t reclaim_account_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, buf, SLAB_RECLAIM_ACCOUNT);
}
SLL_ATTR_RO(reclaim_account);

static ssize_t hwcache_align_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, buf, SLAB_HWCACHE_ALIGN);
}
SLL_ATTR_RO(hwcache_align);

static ssize_t cache_dma_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, buf, SLAB_CACHE_DMA);
}
SLL_ATTR_RO(cache_dma);

static ssize_t destroy_by_rcu_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, buf, SLAB_TYPESAFE_BY_RCU);
}
SLL_ATTR_RO(destroy_by_rcu);

/* SLUB-LL only: 1 when this cache changes slab state under the page lock. */
static ssize_t pagelock_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%d\n", s->pagelock ? 1 : 0);
}
SLL_ATTR_RO(pagelock);

static ssize_t min_partial_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%lu\n", s->min_partial);
}

static ssize_t min_partial_store(struct kmem_cache *s, const char *buf,
				 size_t len)
{
	unsigned long min;
	int err;

	err = kstrtoul(buf, 10, &min);
	if (err)
		return err;
	WRITE_ONCE(s->min_partial, min);
	return len;
}
SLL_ATTR_RW(min_partial);

static ssize_t cpu_partial_show(struct kmem_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(s->cpu_partial));
}

static ssize_t cpu_partial_store(struct kmem_cache *s, const char *buf,
				 size_t len)
{
	unsigned int objects;
	int err;

	err = kstrtouint(buf, 10, &objects);
	if (err)
		return err;
	slub_ll_set_cpu_partial(s, objects);
	return len;
}
SLL_ATTR_RW(cpu_partial);

/*
 * The CPU partial lists: "objects(slabs)" in all, then " C<cpu>=..." for
 * each CPU that has some, the objects counted as cpu_partial counts them
 * (half of each slab), as SLUB prints them: an estimate of the free
 * objects.  The slabs of a CPU's own list are counted exactly; those of
 * its pushed list are derived from the list's weight, exact unless it
 * holds slabs of the fallback order, which are then counted short.
 * Every possible CPU: one that went offline keeps its lists until
 * CPUHP_SLUB_DEAD drains them.
 */
static ssize_t slabs_cpu_partial_show(struct kmem_cache *s, char *buf)
{
	unsigned long slabs, total = 0;
	int cpu, len;

	for_each_possible_cpu(cpu)
		total += slub_ll_cpu_partial_slabs(s, cpu);
	len = sysfs_emit(buf, "%lu(%lu)", total * s->objects / 2, total);
	for_each_possible_cpu(cpu) {
		slabs = slub_ll_cpu_partial_slabs(s, cpu);
		if (slabs)
			len += sysfs_emit_at(buf, len, " C%d=%lu(%lu)", cpu,
					     slabs * s->objects / 2, slabs);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
SLL_ATTR_RO(slabs_cpu_partial);

static ssize_t shrink_show(struct kmem_cache *s, char *buf)
{
	return 0;
}

static ssize_t shrink_store(struct kmem_cache *s, const char *buf,
			    size_t len)
{
	if (buf[0] != '1')
		return -EINVAL;
	kmem_cache_shrink(s);
	return len;
}
SLL_ATTR_RW(shrink);

/*
 * Slab and object counts.  Each file prints the total and then the count
 * of every node that has some, in SLUB's "total N0=x N1=y" form.
 */

enum sll_count {
	SLL_COUNT_SLABS,		/* slabs allocated */
	SLL_COUNT_PARTIAL,		/* slabs on the partial lists */
	SLL_COUNT_CPU_SLABS,		/* active and CPU partial slabs */
	SLL_COUNT_OBJECTS,		/* objects in use */
	SLL_COUNT_OBJECTS_PARTIAL,	/* objects in use in partial slabs */
	SLL_COUNT_TOTAL_OBJECTS,	/* object slots in all slabs */
};

static unsigned long sll_node_count(struct kmem_cache *s, int node,
				    struct kmem_cache_node *n,
				    enum sll_count what)
{
	unsigned long inuse, free, total;

	switch (what) {
	case SLL_COUNT_SLABS:
		return atomic_long_read(&n->nr_slabs);
	case SLL_COUNT_PARTIAL:
		return READ_ONCE(n->nr_partial);
	case SLL_COUNT_TOTAL_OBJECTS:
		return atomic_long_read(&n->total_objects);
	case SLL_COUNT_OBJECTS_PARTIAL:
		slub_ll_count_partial(s, n, &inuse, &free);
		return inuse;
	case SLL_COUNT_OBJECTS:
		/*
		 * Every slot not free on a partial list counts as used;
		 * objects sitting on a CPU's freelist are in use from the
		 * slab's point of view, as in SLUB.
		 */
		slub_ll_count_partial(s, n, &inuse, &free);
		total = atomic_long_read(&n->total_objects);
		return total > free ? total - free : 0;
	case SLL_COUNT_CPU_SLABS:
		break;	/* all nodes at once: sll_show_count() */
	}
	return 0;
}

static ssize_t sll_show_count(struct kmem_cache *s, char *buf,
			      enum sll_count what)
{
	struct kmem_cache_node *n;
	unsigned long *nodes;
	unsigned long total = 0;
	int node, len;

	nodes = kcalloc(nr_node_ids, sizeof(*nodes), GFP_KERNEL);
	if (!nodes)
		return -ENOMEM;

	/*
	 * No cpus_read_lock(): a reader must not order it after kernfs's
	 * reference on this file, which cache destruction drains.  A CPU
	 * coming or going while the slabs are counted only makes the count
	 * stale, as any count of a running allocator is.
	 */
	/* CPU slabs: SLUB counts the CPU partial ones too */
	if (what == SLL_COUNT_CPU_SLABS)
		slub_ll_count_cpu_slabs(s, nodes);
	for_each_kmem_cache_node(s, node, n) {
		if (what != SLL_COUNT_CPU_SLABS)
			nodes[node] = sll_node_count(s, node, n, what);
		total += nodes[node];
	}

	len = sysfs_emit(buf, "%lu", total);
#ifdef CONFIG_NUMA
	for_each_node_state(node, N_NORMAL_MEMORY)
		if (nodes[node])
			len += sysfs_emit_at(buf, len, " N%d=%lu", node,
					     nodes[node]);
#endif
	len += sysfs_emit_at(buf, len, "\n");
	kfree(nodes);
	return len;
}

#define SLL_COUNT_ATTR(_name, _what)					\
static ssize_t _name##_show(struct kmem_cache *s, char *buf)		\
{									\
	return sll_show_count(s, buf, _what);				\
}									\
SLL_ATTR_RO(_name)

SLL_COUNT_ATTR(slabs, SLL_COUNT_SLABS);
SLL_COUNT_ATTR(partial, SLL_COUNT_PARTIAL);
SLL_COUNT_ATTR(cpu_slabs, SLL_COUNT_CPU_SLABS);
SLL_COUNT_ATTR(objects, SLL_COUNT_OBJECTS);
SLL_COUNT_ATTR(objects_partial, SLL_COUNT_OBJECTS_PARTIAL);
SLL_COUNT_ATTR(total_objects, SLL_COUNT_TOTAL_OBJECTS);

#ifdef CONFIG_SLUB_LL_STATS
/*
 * One file per statistic: the sum over the online CPUs, then
 * " C<cpu>=<count>" for every online CPU whose count is not zero.
 * CPUs that went offline keep their counts but are not shown, as in SLUB.
 * The files are plain attributes named from slub_ll_stat_names[], one per
 * enum slub_ll_stat_item in enum order; sll_attr_show() and
 * sll_attr_store() recognise them by address.
 */
static struct attribute sll_stat_attrs[NR_SLUB_LL_STAT_ITEMS];
static struct attribute *sll_stat_attr_ptrs[NR_SLUB_LL_STAT_ITEMS + 1];

static const struct attribute_group sll_stat_group = {
	.attrs = sll_stat_attr_ptrs,
};

static void sll_stat_attrs_init(void)
{
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(slub_ll_stat_names) != NR_SLUB_LL_STAT_ITEMS);
	for (i = 0; i < NR_SLUB_LL_STAT_ITEMS; i++) {
		sysfs_attr_init(&sll_stat_attrs[i]);
		sll_stat_attrs[i].name = slub_ll_stat_names[i];
		sll_stat_attrs[i].mode = 0600;
		sll_stat_attr_ptrs[i] = &sll_stat_attrs[i];
	}
}

/* The statistic an attribute shows, or -1 for the other files. */
static int sll_stat_item(struct attribute *attr)
{
	if (attr >= sll_stat_attrs &&
	    attr < sll_stat_attrs + NR_SLUB_LL_STAT_ITEMS)
		return attr - sll_stat_attrs;
	return -1;
}

static ssize_t sll_show_stat(struct kmem_cache *s, char *buf, int item)
{
	unsigned long sum = 0;
	unsigned int *data;
	int cpu, len;

	data = kcalloc(nr_cpu_ids, sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;

	for_each_online_cpu(cpu) {
		data[cpu] = slub_ll_stat_cpu(s, item, cpu);
		sum += data[cpu];
	}

	len = sysfs_emit(buf, "%lu", sum);
#ifdef CONFIG_SMP
	for_each_online_cpu(cpu)
		if (data[cpu])
			len += sysfs_emit_at(buf, len, " C%d=%u", cpu,
					     data[cpu]);
#endif
	len += sysfs_emit_at(buf, len, "\n");
	kfree(data);
	return len;
}

static ssize_t sll_clear_stat(struct kmem_cache *s, const char *buf,
			      size_t len, int item)
{
	if (buf[0] != '0')
		return -EINVAL;
	slub_ll_stat_clear(s, item);
	return len;
}
#else
static inline void sll_stat_attrs_init(void) { }
static inline int sll_stat_item(struct attribute *attr) { return -1; }
static inline ssize_t sll_show_stat(struct kmem_cache *s, char *buf,
				    int item) { return -EIO; }
static inline ssize_t sll_clear_stat(struct kmem_cache *s, const char *buf,
				     size_t len, int item) { return -EIO; }
#endif /* CONFIG_SLUB_LL_STATS */

static struct attribute *sll_attrs[] = {
	&slab_size_attr.attr,
	&object_size_attr.attr,
	&objs_per_slab_attr.attr,
	&order_attr.attr,
	&align_attr.attr,
	&usersize_attr.attr,
	&ctor_attr.attr,
	&aliases_attr.attr,
	&reclaim_account_attr.attr,
	&hwcache_align_attr.attr,
	&cache_dma_attr.attr,
	&destroy_by_rcu_attr.attr,
	&pagelock_attr.attr,
	&min_partial_attr.attr,
	&cpu_partial_attr.attr,
	&slabs_cpu_partial_attr.attr,
	&shrink_attr.attr,
	&slabs_attr.attr,
	&partial_attr.attr,
	&cpu_slabs_attr.attr,
	&objects_attr.attr,
	&objects_partial_attr.attr,
	&total_objects_attr.attr,
	NULL
};

static const struct attribute_group sll_group = {
	.attrs = sll_attrs,
};

static const struct attribute_group *sll_groups[] = {
	&sll_group,
#ifdef CONFIG_SLUB_LL_STATS
	&sll_stat_group,
#endif
	NULL
};

static ssize_t sll_attr_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct sll_attribute *a;
	int item = sll_stat_item(attr);

	if (item >= 0)
		return sll_show_stat(to_cache(kobj), buf, item);
	a = to_sll_attr(attr);
	if (!a->show)
		return -EIO;
	return a->show(to_cache(kobj), buf);
}

static ssize_t sll_attr_store(struct kobject *kobj, struct attribute *attr,
			      const char *buf, size_t len)
{
	struct sll_attribute *a;
	int item = sll_stat_item(attr);

	if (item >= 0)
		return sll_clear_stat(to_cache(kobj), buf, len, item);
	a = to_sll_attr(attr);
	if (!a->store)
		return -EIO;
	return a->store(to_cache(kobj), buf, len);
}

static const struct sysfs_ops sll_sysfs_ops = {
	.show = sll_attr_show,
	.store = sll_attr_store,
};

/* The last reference to the kobject is gone: free the cache itself. */
static void sll_kobj_release(struct kobject *kobj)
{
	slab_kmem_cache_release(to_cache(kobj));
}

static const struct kobj_type sll_ktype = {
	.sysfs_ops = &sll_sysfs_ops,
	.release = sll_kobj_release,
	.default_groups = sll_groups,
};

static int sll_add(struct kmem_cache *s)
{
	int err;

	/*
	 * From here on the kobject owns the cache: even when adding the
	 * directory fails, the cache is freed through sll_kobj_release().
	 */
	kobject_init(&s->kobj, &sll_ktype);
	s->kobj.kset = slab_kset;
	err = kobject_add(&s->kobj, NULL, "%s", s->name);
	if (err) {
		pr_warn("SLUB-LL: no sysfs directory for cache %s (%d)\n",
			s->name, err);
		return err;
	}
	kobject_uevent(&s->kobj, KOBJ_ADD);
	return 0;
}

/*
 * Called by the allocator under slab_mutex once a cache is set up.  A
 * failure to create the directory is reported but does not fail the
 * cache: it works without its statistics.
 */
int slub_ll_sysfs_add(struct kmem_cache *s)
{
	if (!slab_kset)
		return 0;	/* slub_ll_sysfs_init() will add it */
	sll_add(s);
	return 0;
}

/*
 * Remove the directory; the cache stays until its last reference goes.
 * Called by the common code without cpus_read_lock or slab_mutex held.
 */
/* Aliases made before the kset exists, linked by slub_ll_sysfs_init(). */
struct sll_alias {
	struct sll_alias *next;
	struct kmem_cache *s;
	const char *name;
};

static struct sll_alias *early_aliases;

static int sll_link(struct kmem_cache *s, const char *name)
{
	struct kernfs_node *kn;
	bool link;

	/* a link left by an alias destroyed earlier is replaced */
	kn = kernfs_find_and_get(slab_kset->kobj.sd, name);
	if (kn) {
		link = kernfs_type(kn) == KERNFS_LINK;
		kernfs_put(kn);
		if (!link)
			return -EEXIST;
		sysfs_remove_link(&slab_kset->kobj, name);
	}
	return sysfs_create_link(&slab_kset->kobj, &s->kobj, name);
}

/* Called by the allocator under slab_mutex when @name merges into @s. */
int slub_ll_sysfs_alias(struct kmem_cache *s, const char *name)
{
	struct sll_alias *al;

	if (slab_kset)
		return sll_link(s, name);
	al = sll_kmalloc_obj(*al, GFP_KERNEL);
	if (!al)
		return -ENOMEM;
	al->s = s;
	al->name = name;
	al->next = early_aliases;
	early_aliases = al;
	return 0;
}

void sysfs_slab_unlink(struct kmem_cache *s)
{
	if (s->kobj.state_in_sysfs)
		kobject_del(&s->kobj);
}

void sysfs_slab_release(struct kmem_cache *s)
{
	if (s->kobj.state_initialized)
		kobject_put(&s->kobj);
	else
		slab_kmem_cache_release(s);
}

static int __init slub_ll_sysfs_init(void)
{
	struct kmem_cache *s;
	int err = 0;

	sll_stat_attrs_init();
	mutex_lock(&slab_mutex);
	/*
	 * From FULL on, the allocator adds each new cache itself; the ones
	 * made so far are added here, under the same mutex, so none is
	 * missed or added twice.
	 */
	slab_state = FULL;
	slab_kset = kset_create_and_add("slab", NULL, kernel_kobj);
	if (!slab_kset) {
		mutex_unlock(&slab_mutex);
		pr_err("SLUB-LL: cannot create /sys/kernel/slab\n");
		return -ENOMEM;
	}
	list_for_each_entry(s, &slab_caches, list) {
		if (sll_add(s))
			err = -ENOMEM;
	}
	while (early_aliases) {
		struct sll_alias *al = early_aliases;

		early_aliases = al->next;
		if (sll_link(al->s, al->name))
			pr_warn("SLUB-LL: no sysfs alias %s for cache %s\n",
				al->name, al->s->name);
		kfree(al);
	}
	mutex_unlock(&slab_mutex);
	return err;
}
late_initcall(slub_ll_sysfs_init);
