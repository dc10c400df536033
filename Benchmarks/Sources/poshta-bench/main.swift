// Entry point of the Poshta benchmark; everything else is in PoshtaBenchKit.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PoshtaBenchKit

exit(PoshtaBench.main(Array(CommandLine.arguments.dropFirst())))
