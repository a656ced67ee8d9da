# mxdoctor fix --mta schannel, profile microsoft: the changes that clear the
#   report's findings.
# Run in an elevated Windows PowerShell, then restart Windows.
#Requires -RunAsAdministrator
$ErrorActionPreference = 'Stop'

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Force | Out-Null
# why: TLS 1.2 Client on: profile microsoft starts at TLSv1.2, and
#   Microsoft's servers accept only TLS 1.2 and newer (without it: 421 4.4.2
#   SocketError). Client and Server must match for Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   Microsoft Learn, SocketError when sending or receiving mail,
#   https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror
# clears: config.client_no_tls12, tls.no_tls12_or_newer
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Name 'Enabled' -PropertyType DWord -Value 1 -Force | Out-Null
# why: TLS 1.2 Client: with Enabled=1, DisabledByDefault=0 is the documented
#   Enabled state: Exchange and IIS, which take the system defaults, use it.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.client_no_tls12, tls.no_tls12_or_newer
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 0 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Force | Out-Null
# why: TLS 1.2 Server on: profile microsoft starts at TLSv1.2, and
#   Microsoft's servers accept only TLS 1.2 and newer (without it: 421 4.4.2
#   SocketError). Client and Server must match for Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   Microsoft Learn, SocketError when sending or receiving mail,
#   https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror
# clears: config.client_no_tls12, tls.no_tls12_or_newer
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Name 'Enabled' -PropertyType DWord -Value 1 -Force | Out-Null
# why: TLS 1.2 Server: with Enabled=1, DisabledByDefault=0 is the documented
#   Enabled state: Exchange and IIS, which take the system defaults, use it.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.client_no_tls12, tls.no_tls12_or_newer
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 0 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Force | Out-Null
# why: TLS 1.1 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.1 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Force | Out-Null
# why: TLS 1.1 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.1 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Force | Out-Null
# why: TLS 1.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Force | Out-Null
# why: TLS 1.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch, config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client' -Force | Out-Null
# why: TLS 1.3 Client and Server disagree; Exchange Server does not support
#   TLS 1.3, so both are switched off (TLS 1.2 is enough for Microsoft).
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: With Enabled=0, DisabledByDefault=1 is the documented Disabled state
#   that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server' -Force | Out-Null
# why: TLS 1.3 Client and Server disagree; Exchange Server does not support
#   TLS 1.3, so both are switched off (TLS 1.2 is enough for Microsoft).
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: With Enabled=0, DisabledByDefault=1 is the documented Disabled state
#   that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.schannel_mismatch
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Force | Out-Null
# why: .NET Framework v4.0.30319: SystemDefaultTlsVersions=1 makes
#   applications (Exchange Server among them) use the versions Schannel
#   enables instead of .NET's own older choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v4.0.30319: SchUseStrongCrypto=1 lets applications use
#   TLS 1.1/1.2 and keeps RC4 and other weak suites out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Force | Out-Null
# why: .NET Framework v4.0.30319 (32-bit applications):
#   SystemDefaultTlsVersions=1 makes applications (Exchange Server among
#   them) use the versions Schannel enables instead of .NET's own older
#   choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v4.0.30319 (32-bit applications): SchUseStrongCrypto=1
#   lets applications use TLS 1.1/1.2 and keeps RC4 and other weak suites
#   out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Force | Out-Null
# why: .NET Framework v2.0.50727: SystemDefaultTlsVersions=1 makes
#   applications (Exchange Server among them) use the versions Schannel
#   enables instead of .NET's own older choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v2.0.50727: SchUseStrongCrypto=1 lets applications use
#   TLS 1.1/1.2 and keeps RC4 and other weak suites out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Force | Out-Null
# why: .NET Framework v2.0.50727 (32-bit applications):
#   SystemDefaultTlsVersions=1 makes applications (Exchange Server among
#   them) use the versions Schannel enables instead of .NET's own older
#   choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v2.0.50727 (32-bit applications): SchUseStrongCrypto=1
#   lets applications use TLS 1.1/1.2 and keeps RC4 and other weak suites
#   out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
# clears: config.dotnet_old_tls
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Force | Out-Null
# why: SSL 2.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 2.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Force | Out-Null
# why: SSL 2.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 2.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Force | Out-Null
# why: SSL 3.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 3.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Force | Out-Null
# why: SSL 3.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 3.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
# clears: config.old_protocols, tls.sslv3
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\NULL' -Force | Out-Null
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\NULL' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\DES 56/56')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC2 40/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC2 56/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC2 128/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 40/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 56/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 64/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128/128')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\Triple DES 168' -Force | Out-Null
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\Triple DES 168' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\Triple DES 168/168')
# why: A weak bulk cipher (RC4, DES, 3DES, RC2 or none): Microsoft never
#   uses it (3DES was switched off in 2019), so switching it off costs
#   nothing with Microsoft.
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.weak_ciphers
$k.SetValue('Enabled', 0, [Microsoft.Win32.RegistryValueKind]::DWord)
$k.Close()

# This key's name has a character PowerShell's registry provider would
#   misread: the .NET registry API takes it as it is.
$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\AES 128/128')
# why: Switched off here, but every suite Microsoft uses needs it (AES with
#   ECDHE or RSA key exchange); deleting the value restores Windows' default
#   (enabled).
# source: Microsoft KB 245030, How to restrict the use of certain
#   cryptographic algorithms and protocols in Schannel.dll
# clears: config.server_no_shared_cipher, cipher.no_overlap
$k.DeleteValue('Enabled', $false)
$k.Close()

New-Item -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002' -Force | Out-Null
# why: The suites Schannel may use become the profile's that Schannel
#   implements, in the profile's order (only suites in this list are used).
# source: Microsoft Learn, Manage TLS: Configuring TLS Cipher Suite Order,
#   https://learn.microsoft.com/windows-server/security/tls/manage-tls
# clears: config.server_no_shared_cipher, cipher.no_overlap
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002' -Name 'Functions' -PropertyType String -Value 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_256_GCM_SHA384,TLS_RSA_WITH_AES_128_GCM_SHA256' -Force | Out-Null

# Steps for a person:
# - On Windows Server 2022 / Windows 11 and later only: put
#   TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256 (comma-separated) at the
#   front of
#   HKLM\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002\Functions.
#   why: Windows uses only the suites in the order list, TLS 1.3 ones
#   included; the audit did not say which Windows this is.
#   source: Microsoft Learn, Manage TLS: Configuring TLS Cipher Suite Order,
#   https://learn.microsoft.com/windows-server/security/tls/manage-tls

# Notes:
# - Restart Windows for Schannel changes to take effect (Schannel reads
#   these keys at boot; services keep their credentials until restarted).
# - TLS 1.3 is left at the Windows default: its keys exist only on Windows
#   Server 2022 / Windows 11 and later (enabled there by default), and
#   Exchange Server does not support TLS 1.3 (Exchange Health Checker). TLS
#   1.2 is enough for Microsoft.

# Findings this file does not answer:
# - dns.no_mx: the domain has no MX

Write-Host 'Done. Restart Windows for Schannel changes to take effect.'
