/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SLUB_LL_SLAB_H
#define _LINUX_SLUB_LL_SLAB_H
/*
 * SLUB-LL: what the common slab code asks the allocator about the objects
 * of a slab -- memory cgroup accounting indexes its per-slab vector by
 * object, KASAN finds the object an address falls into.  Included by
 * mm/slab.h once struct slab is defined, and by the user-space harness.
 */
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/reciprocal_div.h>

static inline int objs_per_slab(const struct kmem_cache *cache,
				const struct slab *slab)
{
	return slab->objects;
}

static inline unsigned int sll_obj_index(const struct kmem_cache *cache,
					 const struct slab *slab, void *p)
{
	return reciprocal_divide(kasan_reset_tag(p) - slab_address(slab),
				 cache->reciprocal_size);
}

/* Index of the object at @obj in @slab; a KFENCE slab holds one object. */
static inline unsigned int obj_to_index(const struct kmem_cache *cache,
					const struct slab *slab, void *obj)
{
	if (is_kfence_address(obj))
		return 0;
	return sll_obj_index(cache, slab, obj);
}

/* The object of @slab that @x points into; past the last one, the last. */
static inline void *nearest_obj(struct kmem_cache *cache,
				const struct slab *slab, void *x)
{
	unsigned int idx = sll_obj_index(cache, slab, x);

	if (idx >= slab->objects)
		idx = slab->objects - 1;
	return slab_address(slab) + idx * cache->size;
}

#endif /* _LINUX_SLUB_LL_SLAB_H */
