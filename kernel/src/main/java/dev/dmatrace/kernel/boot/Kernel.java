package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.arch.arm.ArmDmaMapping;
import dev.dmatrace.kernel.dma.AtomicPool;
import dev.dmatrace.kernel.dma.DmaCoherent;
import dev.dmatrace.kernel.dma.DmaContiguous;
import dev.dmatrace.kernel.dma.DmaDebug;
import dev.dmatrace.kernel.dma.DmaDirect;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.dma.DmaRemap;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.LinearMap;
import dev.dmatrace.kernel.mm.Memblock;
import dev.dmatrace.kernel.of.BootLog;
import dev.dmatrace.kernel.of.DeviceNode;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import dev.dmatrace.kernel.of.FdtMemory;
import dev.dmatrace.kernel.of.OfBoot;
import dev.dmatrace.kernel.of.OfPlatformDevice;
import dev.dmatrace.kernel.of.OfProfile;
import dev.dmatrace.kernel.trace.events.Dma;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A booted kernel: a {@link Machine} with the DMA layer on top, brought up from a board, an optional devicetree
 * and a command line in the kernel's order — early params ({@code cma=}, {@code coherent_pool=}, {@code mem=}),
 * RAM from the memory nodes (or the board), the reserved-memory scan with the {@code shared-dma-pool} handlers,
 * dma_contiguous_reserve(), memblock_free_all(), cma_init_reserved_areas() and dma_atomic_pool_init(), then the
 * devicetree devices that name a {@code memory-region} are bound to it. {@link #bootLog()} is the kernel log.
 */
public final class Kernel {

    private final Machine machine;
    private final Kconfig kconfig;
    private final DmaMapping dma;
    private final DmaContiguous contiguous;
    private final AtomicPool pools;
    private final DmaCoherent coherent;
    private final LinearMap linearMap;
    private final ArmDmaMapping armOps;
    private final ArmDmaMapping arm;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<String> bootLog = new ArrayList<>();

    private Kernel(Machine machine, Kconfig kconfig, DmaMapping dma, DmaContiguous contiguous, AtomicPool pools,
            DmaCoherent coherent, LinearMap linearMap, ArmDmaMapping armOps, ArmDmaMapping arm) {
        this.machine = machine;
        this.armOps = armOps;
        this.arm = arm;
        this.linearMap = linearMap;
        this.kconfig = kconfig;
        this.dma = dma;
        this.contiguous = contiguous;
        this.pools = pools;
        this.coherent = coherent;
    }

    /** Boots with the board's defaults; {@code dt} may be null, a null {@code cmdline} means /chosen's bootargs. */
    public static Kernel boot(Board board, DeviceTree dt, String cmdline) throws DtsException {
        return boot(board, dt, cmdline, BootOptions.defaults(board));
    }

    public static Kernel boot(Board board, DeviceTree dt, String cmdline, BootOptions options) throws DtsException {
        OfProfile op = new OfProfile(board.profile(), board.arch());
        String args = cmdline != null ? cmdline : dt != null ? Cmdline.bootargs(dt, op) : "";
        Cmdline c = Cmdline.parse(args, op);
        Board ram = board.withBanks(ramBanks(board, dt, c));
        long ramEnd = ram.banks().stream().mapToLong(Board.Bank::end).max().orElseThrow();
        Kconfig kc = options.kconfig().forRam(board.arch(), board.profile(), ramEnd);
        Machine m = Machine.create(ram);
        KernelProfile p = board.profile();
        DmaRemap remap = new DmaRemap(LinearMap.of(board.arch(), ram.banks().get(0).base()));
        DmaContiguous contiguous = new DmaContiguous(p, m.cma(), m.pageAlloc().free());
        DmaCoherent coherent = new DmaCoherent(p, remap);
        boolean poolC = kc.dmaCoherentPool() && p.atLeast(KernelProfile.V5_10);
        AtomicPool pools = poolC ? new AtomicPool(p, kc, m.pageAlloc(), contiguous, remap, m.printk()) : null;
        ArmDmaMapping arm = board.arch() == Arch.ARM ? new ArmDmaMapping(p, options.armOrder(), kc.zoneDma(),
                options.dmaApiDebug(), m.pageAlloc(), contiguous, remap, m.printk()) : null;
        // 4.4 and 5.10 ARM reach __dma_alloc through arm_dma_ops; 6.1 through dma-direct's arch_dma_alloc
        boolean armOps = arm != null && !p.atLeast(KernelProfile.V6_1);
        DmaDirect direct = p.atLeast(KernelProfile.V5_10) ? new DmaDirect(p, kc, m.pageAlloc(), contiguous, pools,
                remap, m.printk(), arm == null ? null : arm.archDma()) : null;
        DmaMapping dma = new DmaMapping(p, coherent, direct,
                options.dmaApiDebug() ? new DmaDebug(p, m.printk()) : null, new Dma(m.tracing()), m.printk(),
                armOps ? arm.armDmaOps() : null, remap.linearMap());
        Kernel k = new Kernel(m, kc, dma, contiguous, pools, coherent, remap.linearMap(), armOps ? arm : null, arm);
        k.bootLog.addAll(c.log().texts());
        BootLog ofLog = new BootLog();
        OfBoot of = null;
        if (dt != null) {
            ReservedMemBackend backend = new ReservedMemBackend(m.cma(), coherent);
            of = OfBoot.run(dt, op, backend, c.cma().given(), m.memblock(), ofLog, c::applyMemoryLimit);
            if (of.pools().defaultCma() != null) {
                contiguous.setDefaultArea(backend.area(of.pools().defaultCma()));
            }
        }
        int ofLogAtBoot = ofLog.texts().size();
        contiguous.dmaContiguousReserve(dmaContiguousLimit(board.arch(), p, kc, m.memblock()), c.cma(),
                kc.cmaSizeMbytes() << 20);
        // postcore_initcalls: before 6.1's init_per_zone_wmark_min (postcore too, mm/ links after kernel/ and arch/)
        long coherentPool = c.coherentPool().size().orElse(0);
        if (pools != null) {
            m.coreInitcall(mm -> pools.dmaAtomicPoolInit(coherentPool));
        }
        if (arm != null) {
            m.coreInitcall(mm -> arm.atomicPoolInit(coherentPool));
        }
        m.boot();
        if (of != null) {
            k.bindDevices(dt.root(), of);
        }
        List<String> ofTexts = ofLog.texts();
        k.bootLog.addAll(ofTexts.subList(0, ofLogAtBoot));
        k.bootLog.addAll(m.printk().lines());
        k.bootLog.addAll(ofTexts.subList(ofLogAtBoot, ofTexts.size()));
        return k;
    }

    /** RAM: the devicetree's memory nodes (else the board's banks), cut by {@code mem=}. */
    private static List<Board.Bank> ramBanks(Board board, DeviceTree dt, Cmdline c) throws DtsException {
        Memblock scratch = new Memblock();
        BootLog log = new BootLog();
        if (dt != null) {
            new FdtMemory(scratch, log).earlyInitDtScanMemory(dt);
        }
        if (scratch.memory().isEmpty()) {
            board.banks().forEach(b -> scratch.add(b.base(), b.size()));
        }
        c.applyMemoryLimit(scratch, log);
        return scratch.memory().stream().map(r -> new Board.Bank(r.base(), r.size())).toList();
    }

    /**
     * The limit each arch passes to dma_contiguous_reserve(): arm64 the top of ZONE_DMA (6.1,
     * arm64_dma_phys_limit) or ZONE_DMA32 (5.10) as max_zone_phys() computes it, x86-64 the end of RAM,
     * 32-bit ARM arm_dma_limit (all of lowmem without ZONE_DMA).
     */
    private static long dmaContiguousLimit(Arch arch, KernelProfile p, Kconfig kc, Memblock memblock) {
        long start = memblock.startOfDram();
        long end = memblock.endOfDram();
        return switch (arch) {
            case ARM64 -> {
                int bits = p.atLeast(KernelProfile.V6_1) ? kc.zoneDmaBits() : 32;
                long zoneMask = DmaDirect.dmaBitMask(bits);
                if (start > 0xffffffffL) {
                    zoneMask = -1L;
                } else if (start > zoneMask) {
                    zoneMask = 0xffffffffL;
                }
                yield Math.min(zoneMask, end - 1) + 1;
            }
            case X86_64 -> end;
            case ARM -> 0xffffffffL;
        };
    }

    /** of_platform_populate() + of_reserved_mem_device_init() for each available node with a memory-region. */
    private void bindDevices(DeviceNode node, OfBoot of) throws DtsException {
        for (DeviceNode n : node.children()) {
            if (n.isAvailable() && n.hasProperty("memory-region") && !n.path().startsWith("/reserved-memory")) {
                Device dev = new Device(OfPlatformDevice.of(n).devName(), n);
                dev.coherentDmaMask = 0xffffffffL;
                dev.dmaMask = 0xffffffffL;
                dev.hasDmaMask = true;
                dev.dmaCoherent = machine.board().arch() == Arch.X86_64 || n.hasProperty("dma-coherent");
                setupDmaOps(dev);
                of.reservedMem().deviceInit(dev);
                devices.put(dev.devName(), dev);
            }
            bindDevices(n, of);
        }
    }

    /**
     * platform_device_register_simple(name): a device without a devicetree node, with the version's default
     * masks (32-bit in 5.10+, none in 4.4) and the arch's default coherency (x86-64 coherent, arm/arm64 not).
     */
    public Device createDevice(String name) {
        boolean masks = machine.board().profile().atLeast(KernelProfile.V5_10);
        Device dev = Device.platform(name, masks, machine.board().arch() == Arch.X86_64);
        devices.put(name, dev);
        return dev;
    }

    /**
     * arch_setup_dma_ops() [4.4, 5.10 ARM]: a coherent device gets arm_coherent_dma_ops; others keep the
     * arch default (arm_dma_ops). Call after changing {@code dmaCoherent} of a created device.
     */
    public void setupDmaOps(Device dev) {
        if (armOps != null && dev.dmaCoherent) {
            dev.ops = armOps.armCoherentDmaOps();
        }
    }

    /** arch/arm/mm/dma-mapping.c on a 32-bit ARM kernel, else null. */
    public ArmDmaMapping arm() {
        return arm;
    }

    public Machine machine() {
        return machine;
    }

    public Kconfig kconfig() {
        return kconfig;
    }

    public DmaMapping dma() {
        return dma;
    }

    public DmaContiguous contiguous() {
        return contiguous;
    }

    /** The atomic pools, null where kernel/dma/pool.c is not built. */
    public AtomicPool atomicPools() {
        return pools;
    }

    /** The linear map and vmalloc area: which CPU addresses are remapped. */
    public LinearMap remapLinear() {
        return linearMap;
    }

    public DmaCoherent coherent() {
        return coherent;
    }

    /** A device by dev_name(), bound from the devicetree or created. */
    public Device device(String name) {
        return devices.get(name);
    }

    public List<Device> devices() {
        return List.copyOf(devices.values());
    }

    /** The kernel log of the boot, in order: early params, devicetree scan, memory init and initcalls, binding. */
    public List<String> bootLog() {
        return List.copyOf(bootLog);
    }
}
